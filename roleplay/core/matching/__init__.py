"""Matching a learner's own typed reply to the replies on offer, offline.

The learner types what they would say; the app proposes the closest authored option (and
the runner-up) for the learner to confirm. It never applies a match on its own, so the
matcher's job is a good *proposal*, and an honest "nothing here is close" when the reply
does something no option does.

Each option is described by its wordings: its text and its ``examples`` (other ways a
learner might say the same move). A reply is scored against every option on three
signals:

- **meaning**: cosine similarity of static embeddings (``semantic``), when the optional
  model is installed;
- **words**: TF-IDF over stems, word pairs and character grams (``lexical``), which also
  absorbs typos;
- **stance**: cue families such as "promises total privacy" vs "names limits" or "owns the
  mistake" vs "explains it away" (``stance``), which topic similarity cannot see.

Deterministic: the same reply and options give the same ranking, with no network and no
randomness. Nothing here imports Textual, the store or a front end.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from roleplay.core.matching.lexical import LexicalIndex
from roleplay.core.matching.semantic import Embedder, cosine, default_embedder
from roleplay.core.matching.stance import agreement, cues_of, profile
from roleplay.core.matching.text import has_topic
from roleplay.core.models import Option

__all__ = [
    "Candidate",
    "Match",
    "Matcher",
    "Ranked",
    "candidates",
    "default_embedder",
]

# Weights and thresholds, tuned on the evaluation set in benchmarks/matching (figures in
# docs/performance.md). With embeddings, meaning leads; words count for more when options
# carry examples (more wordings to meet), so their weight and the "nothing is close" floor
# slide with the share of options that have examples. Stance is a tie-breaker between
# options on the same topic, kept small so it never outvotes meaning.
_W_LEXICAL_BARE = 0.3
_W_LEXICAL_EXAMPLES = 1.0
_W_STANCE = 0.15
_NULL_BARE = 0.16
_NULL_EXAMPLES = 0.34
# Without embeddings: words lead, stance as above, and a floor on word similarity alone.
_W_STANCE_WORDS = 0.35
_NULL_WORDS = 0.1


@dataclass(frozen=True)
class Candidate:
    """One option as the matcher sees it."""

    option: str
    text: str
    examples: tuple[str, ...] = ()

    @property
    def wordings(self) -> tuple[str, ...]:
        return (self.text, *self.examples)


def candidates(options: Iterable[tuple[str, Option]]) -> list[Candidate]:
    """The matcher's view of options given as (id, option) pairs, e.g. the engine's
    choices on offer (``[(c.id, c.option) for c in engine.choices]``)."""
    return [Candidate(oid, option.text, tuple(option.examples)) for oid, option in options]


@dataclass(frozen=True)
class Ranked:
    """An option's place in the ranking."""

    option: str
    score: float


@dataclass(frozen=True)
class Match:
    """The ranking of every candidate for one reply, best first, and the proposal."""

    text: str
    ranked: tuple[Ranked, ...]
    match: str | None
    """The option to propose, or None when nothing is close enough to propose."""

    @property
    def runner_up(self) -> str | None:
        """The second-best option, offered beside the proposal."""
        return self.ranked[1].option if len(self.ranked) > 1 else None


class _Index:
    """What the matcher precomputes for one set of candidates."""

    def __init__(self, candidates: Sequence[Candidate], embedder: Embedder | None) -> None:
        self.candidates = tuple(candidates)
        wordings = [c.wordings for c in self.candidates]
        self.lexical = LexicalIndex(wordings)
        self.stances = [profile(w) for w in wordings]
        covered = sum(bool(c.examples) for c in self.candidates)
        self.coverage = covered / len(self.candidates) if self.candidates else 0.0
        self.vectors: list[list[list[float]]] | None = None
        if embedder is not None:
            flat = [w for ws in wordings for w in ws]
            embedded = embedder.embed(flat)
            self.vectors, at = [], 0
            for ws in wordings:
                self.vectors.append(embedded[at : at + len(ws)])
                at += len(ws)


class Matcher:
    """Ranks typed replies against options; keeps the last few option sets indexed."""

    def __init__(self, embedder: Embedder | None = None) -> None:
        self._embedder = embedder
        self._cache: dict[tuple[Candidate, ...], _Index] = {}

    @classmethod
    def default(cls) -> Matcher:
        """A matcher with the bundled embedding model when it is installed."""
        return cls(default_embedder())

    @property
    def semantic(self) -> bool:
        """Whether meaning (embeddings) is part of the score."""
        return self._embedder is not None

    def _index(self, candidates: Sequence[Candidate]) -> _Index:
        key = tuple(candidates)
        index = self._cache.get(key)
        if index is None:
            if len(self._cache) > 64:
                self._cache.clear()
            index = self._cache[key] = _Index(key, self._embedder)
        return index

    def match(self, reply: str, candidates: Sequence[Candidate]) -> Match:
        """Rank every candidate for this reply and say which (if any) to propose."""
        if not candidates:
            return Match(reply, (), None)
        index = self._index(candidates)
        lexical = index.lexical.scores(reply)
        cues = cues_of(reply)
        stance = [agreement(cues, p) for p in index.stances]
        if index.vectors is not None and self._embedder is not None:
            mine = self._embedder.embed([reply])[0]
            semantic = []
            for vectors in index.vectors:
                sims = sorted((cosine(mine, v) for v in vectors), reverse=True)
                top = sims[:3]
                semantic.append(0.7 * sims[0] + 0.3 * sum(top) / len(top))
            cover = index.coverage
            w_lex = _W_LEXICAL_BARE + (_W_LEXICAL_EXAMPLES - _W_LEXICAL_BARE) * cover
            topical = [s + w_lex * lx for s, lx in zip(semantic, lexical, strict=True)]
            scores = [t + _W_STANCE * st for t, st in zip(topical, stance, strict=True)]
            relevance = max(topical)
            floor = _NULL_BARE + (_NULL_EXAMPLES - _NULL_BARE) * cover
        else:
            scores = [lx + _W_STANCE_WORDS * st for lx, st in zip(lexical, stance, strict=True)]
            relevance = max(lexical)
            floor = _NULL_WORDS
        order = sorted(
            range(len(index.candidates)), key=lambda i: (-scores[i], index.candidates[i].option)
        )
        ranked = tuple(Ranked(index.candidates[i].option, round(scores[i], 4)) for i in order)
        # Whether anything is close is a question of topic and meaning, not of stance: a
        # question about the weather shares the "asks a question" stance with many options.
        close = relevance >= floor and has_topic(reply)
        return Match(reply, ranked, ranked[0].option if close else None)
