"""The typed-reply matcher: stance beats topic, typos and contractions are absorbed, nothing
close gives no proposal, rankings are complete and deterministic. Each test runs with words
and stance alone and, where the optional embedding model is installed, with meaning too."""

from __future__ import annotations

import pytest

from roleplay.core.matching import Candidate, Matcher, candidates, default_embedder
from roleplay.core.matching.stance import cues_of
from roleplay.core.matching.text import normalise, stem

SEMANTIC = default_embedder()
MATCHERS = [
    pytest.param(Matcher(None), id="words"),
    pytest.param(
        Matcher(SEMANTIC),
        id="meaning",
        marks=pytest.mark.skipif(SEMANTIC is None, reason="wordllama is not installed"),
    ),
]

PRIVACY = [
    Candidate(
        "promise",
        "Everything you say in here stays between us. It's completely confidential.",
        ("nothing you tell me goes anywhere", "it's all private, I promise"),
    ),
    Candidate(
        "limits",
        "Most of what you tell me stays private, but there are limits: if someone is at "
        "risk of serious harm I may have to share, and I'd tell you first.",
        ("I can't promise everything stays private", "there are a few exceptions, like safety"),
    ),
    Candidate(
        "deflect",
        "Let's not worry about the paperwork side. Tell me what brings you in.",
        ("we can sort the forms out later", "don't worry about that, how are you"),
    ),
]

LAPSE = [
    Candidate(
        "own",
        "That was on us, and I'm sorry. If a time ever changes, you'll hear it from me.",
    ),
    Candidate(
        "system",
        "Sorry about that, the booking system sends those texts automatically.",
    ),
    Candidate("skip", "Thanks for coming back. Tell me about your sleep."),
]


@pytest.mark.parametrize("matcher", MATCHERS)
@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        ("there are limits to what I keep private", "limits"),
        ("i cant keep everything between us, sometimes i have to pass things on", "limits"),
        ("nothing you say leaves this room", "promise"),
        ("everything you say here is completely confidential", "promise"),
    ],
)
def test_stance_decides_between_options_on_the_same_topic(
    matcher: Matcher, reply: str, expected: str
) -> None:
    result = matcher.match(reply, PRIVACY)
    assert result.ranked[0].option == expected, result.ranked
    assert result.match == expected


@pytest.mark.parametrize("matcher", MATCHERS)
@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        ("my mistake, sorry. next time I'll ring you myself", "own"),
        ("it's not anyone's fault, the computer does it automatically", "system"),
        ("the sofware sends them out automaticaly", "system"),  # typos
    ],
)
def test_owning_a_lapse_is_told_from_explaining_it_away(
    matcher: Matcher, reply: str, expected: str
) -> None:
    assert matcher.match(reply, LAPSE).ranked[0].option == expected


@pytest.mark.parametrize("matcher", MATCHERS)
@pytest.mark.parametrize(
    "reply",
    # Pronouns and negations alone name nothing (each was proposed as one option or another).
    ["", "   ", "asdf qwer", "?!", "the the the", "I", "you", "me?", "not me", "I, you", "we"],
)
def test_nothing_close_proposes_nothing_but_still_ranks_everything(
    matcher: Matcher, reply: str
) -> None:
    result = matcher.match(reply, PRIVACY)
    assert result.match is None
    assert sorted(r.option for r in result.ranked) == ["deflect", "limits", "promise"]


@pytest.mark.parametrize("matcher", MATCHERS)
def test_the_ranking_is_complete_sorted_and_deterministic(matcher: Matcher) -> None:
    reply = "it's private unless someone is in danger"
    first = matcher.match(reply, PRIVACY)
    again = Matcher(SEMANTIC if matcher.semantic else None).match(reply, PRIVACY)
    assert first == again
    scores = [r.score for r in first.ranked]
    assert scores == sorted(scores, reverse=True)
    assert first.runner_up == first.ranked[1].option


def test_no_candidates_gives_no_match() -> None:
    result = Matcher(None).match("hello", [])
    assert result.ranked == () and result.match is None and result.runner_up is None


def test_normalising_spells_out_contractions_and_folds_accents() -> None:
    assert normalise("I can't, you won’t, we'd — Café!") == "i can not you will not we would cafe"
    assert normalise("dont worry im here") == "do not worry i am here"
    assert stem("explaining") == stem("explained") == "explain"


def test_stance_cues_read_what_a_reply_does() -> None:
    assert "privacy-absolute" in cues_of("Nothing you tell me leaves this room")
    assert "privacy-limited" in cues_of("There are some things I'd have to share")
    assert "own-it" in cues_of("That one's on me, sorry")
    assert "explain-away" in cues_of("It's just how the system works")
    assert "explore" in cues_of("What would help tonight?")
    assert cues_of("the weather is nice") == frozenset()


def test_candidates_carry_each_option_s_examples() -> None:
    from roleplay.core.models import Option

    option = Option.model_validate(
        {
            "id": "own",
            "text": "That was on us.",
            "examples": ["my bad", "we got that wrong", "sorry, our mistake"],
            "next": "end",
            "feedback": {
                "rating": "builds-trust",
                "skills": ["repair"],
                "why": "Owning it.",
                "inner_experience": "Maybe.",
            },
        }
    )
    (made,) = candidates([("own", option)])
    assert made == Candidate(
        "own", "That was on us.", ("my bad", "we got that wrong", "sorry, our mistake")
    )
    assert made.wordings[0] == "That was on us."
