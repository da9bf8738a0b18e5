"""Turning a typed reply into comparable pieces: words, stems and character grams.

Learners type fast, in lower case, with contractions and typos. Everything here is
deterministic and language-light (English first: every bundled scenario is English);
nothing is downloaded.
"""

from __future__ import annotations

import re
import unicodedata

_CONTRACTIONS = (
    (re.compile(r"\b(can)'?t\b"), r"\1 not"),
    (re.compile(r"\bwon'?t\b"), "will not"),
    (re.compile(r"\bshan'?t\b"), "shall not"),
    (re.compile(r"\b(\w+)n't\b"), r"\1 not"),
    (re.compile(r"\b(\w+)'re\b"), r"\1 are"),
    (re.compile(r"\b(\w+)'ve\b"), r"\1 have"),
    (re.compile(r"\b(\w+)'ll\b"), r"\1 will"),
    (re.compile(r"\b(\w+)'d\b"), r"\1 would"),
    (re.compile(r"\b(i)'m\b"), r"\1 am"),
    (re.compile(r"\b(it|that|what|there|here|who|he|she)'s\b"), r"\1 is"),
)
# Typed without the apostrophe, these read as other words ("cant", "wont", "dont").
_BARE = {
    "cant": "can not",
    "wont": "will not",
    "dont": "do not",
    "doesnt": "does not",
    "didnt": "did not",
    "isnt": "is not",
    "arent": "are not",
    "wasnt": "was not",
    "werent": "were not",
    "couldnt": "could not",
    "shouldnt": "should not",
    "wouldnt": "would not",
    "havent": "have not",
    "hasnt": "has not",
    "im": "i am",
    "ive": "i have",
    "youre": "you are",
    "theyre": "they are",
    "thats": "that is",
    "whats": "what is",
    "ill": "i will",
    "id": "i would",
    "u": "you",
    "ur": "your",
    "pls": "please",
    "plz": "please",
    "thx": "thanks",
    "ok": "okay",
    "gonna": "going to",
    "wanna": "want to",
    "gotta": "got to",
    "kinda": "kind of",
}
_WORD = re.compile(r"[a-z0-9]+")

# Words that carry no topic and no stance. Negations, quantifiers ("all", "nothing"),
# modals ("must", "might") and pronouns of person ("I", "you", "we") are NOT here: they
# are exactly what tells "everything stays private" from "not everything stays private".
_STOP = """
    a an the and or but so of to in on at by for with from as into about than then
    this that these those it its is are was were be been being am do does did doing
    very just really quite also too there here which who whom what when where how
    um uh er hmm oh well okay yeah yes like
"""
STOPWORDS = frozenset(_STOP.split())

_SUFFIXES = (
    "ational",
    "ization",
    "fulness",
    "ousness",
    "iveness",
    "ations",
    "ation",
    "ments",
    "ment",
    "ness",
    "ingly",
    "edly",
    "ings",
    "ing",
    "ies",
    "ied",
    "ers",
    "er",
    "ed",
    "ly",
    "es",
    "s",
)


def normalise(text: str) -> str:
    """Lower-case, accents folded, contractions spelled out, punctuation kept as spaces."""
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    folded = folded.lower().replace("’", "'").replace("‘", "'")
    for pattern, repl in _CONTRACTIONS:
        folded = pattern.sub(repl, folded)
    words = _WORD.findall(folded.replace("'", ""))
    return " ".join(_BARE.get(w, w) for w in words)


def stem(word: str) -> str:
    """A small suffix stripper: enough to meet "explaining" and "explained" at "explain"."""
    if len(word) <= 4:
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            base = word[: -len(suffix)]
            if suffix in ("ies", "ied"):
                base += "y"
            return base
    return word


def words(text: str) -> list[str]:
    """The normalised words of a text, in order."""
    return normalise(text).split()


# Words kept for matching (they carry stance) that still name nothing on their own.
_PERSON_AND_NEGATION = """
    i me my mine myself you your yours yourself yourselves we us our ours ourselves
    they them their theirs he him his she her hers not no nor never
"""
_NO_TOPIC = frozenset(_PERSON_AND_NEGATION.split())


def has_topic(text: str) -> bool:
    """Whether a reply says something an option could be proposed for: a word beyond stop
    words, pronouns and negations ("I", "no" or "not me" alone name nothing)."""
    return any(w not in STOPWORDS and w not in _NO_TOPIC for w in words(text))


def content_stems(text: str) -> list[str]:
    """Stems of the words that carry meaning (stop words dropped)."""
    return [stem(w) for w in words(text) if w not in STOPWORDS]


def char_grams(text: str, sizes: tuple[int, ...] = (3, 4)) -> list[str]:
    """Character n-grams inside word boundaries: robust to typos and word forms."""
    grams: list[str] = []
    for word in words(text):
        if word in STOPWORDS:
            continue
        padded = f" {word} "
        for n in sizes:
            grams.extend(padded[i : i + n] for i in range(max(1, len(padded) - n + 1)))
    return grams
