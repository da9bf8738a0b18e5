"""Word and character-gram overlap, weighted by how rare a piece is among the options.

TF-IDF over the wordings of the options on offer (each option's text and examples). A word
every option uses ("you", the client's name) tells nothing apart; a word only one option
uses says a lot. Character grams catch typos and other forms of a word.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter, defaultdict
from collections.abc import Sequence

from roleplay.core.matching.text import char_grams, content_stems

Vector = dict[str, float]


def _features(text: str) -> dict[str, float]:
    feats: defaultdict[str, float] = defaultdict(float)
    stems = content_stems(text)
    for s in stems:
        feats["w:" + s] += 2.0
    for a, b in itertools.pairwise(stems):
        feats[f"b:{a} {b}"] += 1.0
    for g in char_grams(text):
        feats["c:" + g] += 0.25
    return feats


class LexicalIndex:
    """TF-IDF vectors of every option's wordings, built once per decision point."""

    def __init__(self, wordings: Sequence[Sequence[str]]) -> None:
        raw = [[_features(w) for w in option] for option in wordings]
        # Document frequency counts options, not wordings: a word all of one option's
        # examples share is that option's signal, not noise.
        df: Counter[str] = Counter()
        for option in raw:
            df.update(set().union(*option) if option else set())
        total = max(len(raw), 1)
        self._idf = {f: math.log((1 + total) / (1 + n)) + 1.0 for f, n in df.items()}
        self._unseen = math.log(1 + total) + 1.0
        self._vectors = [[self._weigh(f) for f in option] for option in raw]

    def _weigh(self, feats: dict[str, float]) -> Vector:
        vec = {f: n * self._idf.get(f, self._unseen) for f, n in feats.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        return {f: v / norm for f, v in vec.items()}

    def scores(self, reply: str) -> list[float]:
        """For each option, the best cosine similarity between the reply and one wording,
        blended with the mean over its wordings (one lucky example should not win alone)."""
        vec = self._weigh(_features(reply))
        out: list[float] = []
        for option in self._vectors:
            sims = [sum(v * ref.get(f, 0.0) for f, v in vec.items()) for ref in option]
            if not sims:
                out.append(0.0)
                continue
            sims.sort(reverse=True)
            top = sims[: min(3, len(sims))]
            out.append(0.7 * sims[0] + 0.3 * sum(top) / len(top))
        return out
