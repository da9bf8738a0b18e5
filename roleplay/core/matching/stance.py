"""Stance cues: what a reply *does*, apart from what it is about.

Two replies can share every topic word and take opposite stances: "everything you say here
is confidential" promises what "there are limits to what I keep private" refuses to
promise. Topic similarity (words, embeddings) cannot tell them apart reliably, so a small,
readable lexicon of stance cues is scored beside it. Each cue family has an opposite; a
reply that shows one family counts against options whose own wording (text and examples)
shows the opposite.

The patterns run on ``normalise``d text (lower case, contractions spelled out).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from roleplay.core.matching.text import normalise


@dataclass(frozen=True)
class Cue:
    """One stance family: its patterns and the family it contradicts."""

    name: str
    patterns: tuple[re.Pattern[str], ...]
    opposite: str | None = None


def _cue(name: str, opposite: str | None, *patterns: str) -> Cue:
    return Cue(name, tuple(re.compile(p) for p in patterns), opposite)


CUES: tuple[Cue, ...] = (
    _cue(
        "privacy-absolute",
        "privacy-limited",
        r"\b(everything|anything|all|whatever) (you|that you) (say|tell|share)",
        r"\b(completely|totally|fully|100|entirely|strictly|absolutely) (confidential|private|safe)",
        r"\bnothing (you (say|tell me|share) )?(leaves|goes|gets|will|is|would)",
        r"\b(between|just) (us|you and me)\b",
        r"\bstays? (here|in (this|the) room)\b",
        r"\b(never|not) (tell|share|pass|repeat)\w* (it |this |that )?(to |with )?(anyone|anybody|a soul)",
        r"\bno ?one (else )?(will|would|is going to) (know|see|hear|find out)",
        r"\byour secret",
    ),
    _cue(
        "privacy-limited",
        "privacy-absolute",
        r"\blimits?\b",
        r"\b(except|unless|apart from)\b",
        r"\bnot (everything|all of it|always)\b",
        r"\b(some|certain|a few) (things|situations|times|cases)\b",
        r"\b(have|need|would have|would need|might have|might need|may have|obliged|required) "
        r"to (share|tell|report|pass|break|let|contact|inform)",
        r"\bcan not (promise|keep|guarantee)",
        r"\b(risk|danger|harm|unsafe|hurt)\b",
        r"\b(duty|legally|mandated|safeguarding)\b",
    ),
    _cue(
        "own-it",
        "explain-away",
        r"\b(my|our) (fault|mistake|bad|error)\b",
        r"\b(on|down to) (us|me)\b",
        r"\b(we|i) (messed|got (it|that) wrong|let you down|dropped|should have|should not have|screwed)",
        r"\b(sorry|apologi[sz]e|apology)\b",
        r"\bthat (was|is) (not okay|not fair|wrong|not right)",
    ),
    _cue(
        "explain-away",
        "own-it",
        r"\b(system|software|computer|automatic\w*|policy|policies|procedure|protocol|rules?)\b",
        r"\bnot (really )?(my|our|anyones?|anybodys?|someones?) (fault|decision|choice|call)",
        r"\bout of (my|our) hands\b",
        r"\bnothing (i|we) (can|could) do\b",
        r"\b(that is|it is) (just )?how (it|things) (works?|goes|are)\b",
        r"\b(short staffed|understaffed|busy)\b",
    ),
    _cue(
        "reassure",
        "explore",
        r"\b(do not|no need to|nothing to) worry",
        r"\bi am (sure|certain) (it|you|things|that|everything)",
        r"\b(it|things|everything|you) (will|is going to|are going to) be (fine|okay|alright|all right|ok)",
        r"\byou are (safe|fine|okay)\b",
        r"\b(you will|you are going to) (get through|manage|be)",
    ),
    _cue(
        "advise",
        "explore",
        r"\byou (should|ought|must|need to|have to|had better|might want to)\b",
        r"\b(have you tried|why do not you|why not|try to|try and|my advice|i would (suggest|recommend|advise))",
        r"\bthe best (thing|way)\b",
        r"\b(maybe|perhaps) (you could|try|stop|pause|cut|take|consider|just)\b",
        r"\b(how about|what if) you\b",
    ),
    _cue(
        "explore",
        None,
        r"^(what|how|would|could|can|do|does|is|are|tell me|i wonder|help me)\b",
        r"\b(what|how) (would|do|does|did|is|was|matters|feels?)\b",
        r"\b(tell me more|say more|help me understand|i wonder|i am curious)\b",
        r"\bwould you (like|want|prefer|rather)\b",
    ),
    _cue(
        "consult",
        "certain",
        r"\b(check|ask|consult|talk|speak) (with|to)? ?(my|a|the)? ?(supervisor|manager|team|lawyer|legal|colleague|someone)",
        r"\b(find|found) out\b",
        r"\b(not|am not) (sure|certain|100)\b",
        r"\bdo not (know|want to guess)\b",
        r"\bget back to you\b",
        r"\blook (into|it up)\b",
    ),
    _cue(
        "certain",
        "consult",
        r"\b(definitely|certainly|guarantee|for sure|absolutely|of course)\b",
        r"\bthe law (says|is)\b",
        r"\bby law\b",
        r"\bi (know|promise) (that|it|you)\b",
    ),
    _cue(
        "risk-ask",
        "move-on",
        r"\b(suicid\w*|kill(ing)? yourself|end(ing)? (your|it|things|my) (life|all)?|take your (own )?life)",
        r"\b(hurt|harm|harming|hurting) yourself\b",
        r"\b(self harm|not (want to )?be (here|around|alive))\b",
        r"\b(thoughts|thinking) (of|about) (dying|death|not)",
        r"\bask (everyone|everybody|all)\b",
    ),
    _cue(
        "move-on",
        "risk-ask",
        r"\b(moving on|move on|let us (get|go|move)|back to|anyway|change the subject)\b",
    ),
    _cue(
        "alarm",
        None,
        r"\b(emergency|ambulance|911|999|112|crisis team|hospital|a and e|er)\b",
        r"\b(right now|immediately|straight away|at once)\b",
        r"\bcall (someone|the|an|a)\b",
    ),
)
_BY_NAME: Mapping[str, Cue] = {cue.name: cue for cue in CUES}


def cues_of(text: str, *, normalised: bool = False) -> frozenset[str]:
    """The stance families a text shows."""
    norm = text if normalised else normalise(text)
    found = {cue.name for cue in CUES if any(p.search(norm) for p in cue.patterns)}
    if text.rstrip().endswith("?"):
        found.add("explore")
    return frozenset(found)


def profile(references: Iterable[str]) -> dict[str, float]:
    """For an option: the share of its wordings (text and examples) that show each family."""
    refs = list(references)
    counts: dict[str, int] = {}
    for ref in refs:
        for name in cues_of(ref):
            counts[name] = counts.get(name, 0) + 1
    return {name: n / len(refs) for name, n in counts.items()} if refs else {}


def agreement(reply: frozenset[str], option: Mapping[str, float]) -> float:
    """How far the reply's stance agrees with an option's (positive) or contradicts it."""
    if not reply:
        return 0.0
    score = 0.0
    for name in reply:
        mine = option.get(name, 0.0)
        score += mine
        opposite = _BY_NAME[name].opposite
        if opposite is not None:
            # Only what the option shows *more* of than the reply's own stance counts
            # against it: "Sorry, the system does that" both apologises and deflects.
            score -= 1.5 * max(0.0, option.get(opposite, 0.0) - mine)
    return score / len(reply)
