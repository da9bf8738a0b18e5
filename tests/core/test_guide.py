"""``roleplay guide``'s builder (no Textual): every bundled scenario gives each part in each
format; moments only some paths reach, loops, conditions and variants are said in words;
the handout holds no option, rating or trust figure; hostile scenario text (HTML, Markdown
links, terminal escapes, bidi controls) comes out inert in Markdown and in HTML."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from scenario_kit import MINI, load_dict, mini, node, option, scenario
from scenario_kit import rupture as rupture_dict

from roleplay.core.document import Block, Bullets, Para, b, i, t, to_html, to_markdown
from roleplay.core.guide import Format, Part, guide_blocks, render_guide
from roleplay.core.loader import load_scenario
from roleplay.core.models import Rating, Scenario
from roleplay.core.routes import condition_text, route_map

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = sorted((ROOT / "scenarios").glob("*.yaml"))
TITLES = {
    Part.FACILITATOR: "Facilitator guide: ",
    Part.HANDOUT: "Student handout: ",
    Part.PORTRAYAL: "Portrayal brief: ",
}


def _bundled(path: Path) -> Scenario:
    return load_scenario(path).scenario


@pytest.mark.parametrize("path", BUNDLED, ids=[p.stem for p in BUNDLED])
def test_every_bundled_scenario_gives_every_part_in_both_formats(path: Path) -> None:
    scenario = _bundled(path)
    for part in Part:
        md = render_guide(scenario, part, Format.MD)
        page = render_guide(scenario, part, Format.HTML)
        wanted = TITLES.values() if part is Part.ALL else [TITLES[part]]
        for title in wanted:
            assert f"# {title}" in md
            assert f"<h1>{title}" in page
        assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
        # Self-contained and inert: no script, nothing loaded from anywhere.
        assert "<script" not in page.lower()
        assert not re.search(r"\b(?:src|href)=", page)
        assert "url(" not in page and "@import" not in page
    facilitator = render_guide(scenario, Part.FACILITATOR)
    for node_ in scenario.decision_points():
        assert node_.display_title in facilitator
        if node_.facilitator is not None:
            for question in node_.facilitator.questions:
                assert " ".join(question.split()) in facilitator.replace("\\", "")
    for ending in scenario.endings:
        assert f"### {ending.title}".replace("[", "\\[") in facilitator or ending.title in (
            facilitator
        )


@pytest.mark.parametrize("path", BUNDLED, ids=[p.stem for p in BUNDLED])
def test_the_handout_gives_away_no_option_rating_or_trust(path: Path) -> None:
    scenario = _bundled(path)
    for fmt in Format:
        text = render_guide(scenario, Part.HANDOUT, fmt)
        for rating in Rating:
            assert rating.label.lower() not in text.lower(), rating
        assert not re.search(r"\(\s*(?:\+\+|!!|~|\+)\s", text)
        assert not re.search(r"trust [+-]?\d", text, re.IGNORECASE)
        for node_ in scenario.decision_points():
            for opt in node_.options:
                assert " ".join(opt.text.split())[:60] not in text
        assert "Ground rules" in text and "Question 1:" in text


def test_each_part_and_the_whole_are_separated_by_page_breaks() -> None:
    blocks = guide_blocks(mini(), Part.ALL)
    md = render_guide(mini(), Part.ALL, Format.MD)
    assert md.count("\n---\n") == 2
    page = render_guide(mini(), Part.ALL, Format.HTML)
    assert page.count('<hr class="page">') == 2
    assert "break-after: page" in page
    assert len(blocks) == sum(len(guide_blocks(mini(), p)) for p in TITLES) + 2


def test_the_facilitator_guide_shows_lines_options_ratings_trust_feedback_and_notes() -> None:
    text = render_guide(mini(), Part.FACILITATOR)
    assert "*Sam sits down.*" in text
    # The line as the app shows it: speaker, cue in brackets, words (markup kept as text).
    assert "**Sam:** \\[looks at the door\\] Hi. \\[bold\\]Not\\[/\\] sure about this." in text
    assert (
        "**A.** Welcome, Sam. What would you like me to know? **(++ Builds trust; trust +10)**"
        in text
    )
    assert "**(!! Harmful; trust -15, opens “Name missed”)**" in text
    assert "> **Why:** Wrong name." in text
    assert "> *Not again.*" in text  # the client's possible inner experience
    assert "> **Stronger:** “Check the name.”" in text
    assert "repairs “Name missed”" in text
    assert "*Offered only when the rupture “Name missed” is open.*" in text
    # Variants: each version with when it is shown.
    assert "- *when the rupture “Name missed” is open:* **Sam:** It's Sam, actually." in text
    assert "- *otherwise:* **Sam:** So, what now?" in text
    assert "## How it can end" in text
    assert "**The strongest reply each time:** 1A" in text


def _branching() -> dict[str, Any]:
    """A scenario with a side branch only some paths take, a loop, a conditional line and a
    conditional option, and endings chosen by band."""
    return scenario(
        [
            node(
                "start",
                option("straight", "middle", 5),
                option("detour", "side", -5, "missed-opportunity", set_flags=["went-aside"]),
                title="The start",
            ),
            node(
                "side",
                option("back", "middle", 5),
                option("again", "side", -1, "missed-opportunity", text="Round again."),
                title="A side room",
            ),
            node(
                "middle",
                option("finish", "end", 5),
                option(
                    "mend",
                    "end",
                    8,
                    when={"flags": ["went-aside"], "min_trust": 30},
                    text="Mend it.",
                ),
                lines=[
                    {"say": "Where were you?", "when": {"flags": ["went-aside"]}},
                    {"say": "Go on."},
                ],
                title="The middle",
            ),
            node(
                "end",
                ending=[{"when": {"band": "high"}, "ending": "warm"}, {"ending": "done"}],
            ),
        ],
        endings=[
            {"id": "warm", "title": "Warm", "description": "It went well."},
            {"id": "done", "title": "Done", "description": "It ends."},
        ],
    )


def test_moments_on_some_paths_loops_and_conditions_are_said_in_words() -> None:
    loaded = load_dict(_branching())
    places = {place.node.id: place for place in route_map(loaded).places}
    assert places["start"].on_every_path and places["middle"].on_every_path
    assert not places["side"].on_every_path
    assert places["side"].in_loop and not places["middle"].in_loop
    assert [p.node.id for p in route_map(loaded).places] == ["start", "middle", "side", "end"]
    text = render_guide(loaded, Part.FACILITATOR)
    side = text[text.index("### Moment 3: A side room") : text.index("## How it can end")]
    assert "Only some paths reach this moment (after 1B, 3B)." in side
    assert "It can come round again in the same conversation (after 3B)." in side
    middle = text[text.index("### Moment 2: The middle") : text.index("### Moment 3")]
    assert "Only some paths" not in middle
    assert "*(only when “Went aside” has happened)* **Ana:** Where were you?" in middle
    assert "*Offered only when “Went aside” has happened; trust is at least 30.*" not in middle
    assert "*Offered only when trust is at least 30; “Went aside” has happened.*" in middle
    assert "Reached at “End”, when trust is High." in text
    assert "Reached at “End”, otherwise." in text


def test_a_moment_no_path_reaches_says_so() -> None:
    data = scenario(
        [
            node("a", option("go", "end", 5), option("low", "b", 5, when={"max_trust": 5})),
            node("b", option("on", "end", 5)),
            node("end", ending="done"),
        ]
    )
    text = render_guide(load_dict(data), Part.FACILITATOR)
    assert "No path reaches this moment: it is never shown." in text


def test_conditions_in_words() -> None:
    loaded = load_dict(
        scenario(
            [node("a", option("go", "end", 5)), node("end", ending="done")],
            ruptures=[rupture_dict("r1")],
        )
    )
    from roleplay.core.models import Condition

    cond = Condition(
        band=["low", "mid"],
        max_trust=60,
        not_flags=["asked-name"],
        rupture_repaired=["r1"],
        rupture_not_open=["gone"],
        no_open_ruptures=True,
    )
    assert condition_text(cond, loaded) == (
        "trust is Low or Mid; trust is at most 60; “Asked name” has not happened; the "
        "rupture “Rupture r1” was repaired; the rupture “Gone” is not open; no rupture is open"
    )
    assert condition_text(None, loaded) == ""


def test_a_couple_session_names_each_speaker_and_the_portrayal_casts_them() -> None:
    scenario_ = _bundled(ROOT / "scenarios" / "whose-side.yaml")
    text = render_guide(scenario_, Part.ALL)
    assert "**Rob:** \\[folds his arms, not unfriendly\\]" in text
    assert "**Lin:** \\[lines up the folder" in text
    brief = render_guide(scenario_, Part.PORTRAYAL)
    assert "**Also in the room:** Rob." in brief
    assert "## What not to play as a stereotype" in brief
    assert "## How trust moves them" in brief and "Trust starts at 30 of 100" in brief
    assert "Lin heard her care for her mother described" in brief  # a rupture, her side


def test_the_portrayal_brief_is_built_from_the_client() -> None:
    text = render_guide(mini(), Part.PORTRAYAL)
    assert text.startswith("# Portrayal brief: Sam\n")
    assert "**Sam (they/them), 30.**" in text
    assert "> “I'm a fixture.”" in text
    assert "- Passing tests" in text
    assert "**Name missed:** The clinician got the name wrong and moved on." in text
    assert "What opens Sam up most:" in text and "What closes Sam down most:" in text
    # Met well and badly: the replies every learner can give, not a conditional repair.
    assert "**If met well (1A, trust +10):**" in text
    assert "**If it goes badly (1B, trust -15):**" in text


HOSTILE = (
    "<script>alert(1)</script> [click](javascript:alert(1)) ![img](http://x.test/a.png) "
    "<img src=x onerror=alert(1)> \x1b]52;c;cHduZWQ=\x07\x1b[2J \u202eevil\u202c \x9b31m "
    "&lt;b&gt; \\[esc\\](http://x.test)\n# heading\n- item\n> quote\n"
)


def _hostile() -> Scenario:
    import yaml

    data: dict[str, Any] = yaml.safe_load(MINI.read_text(encoding="utf-8"))
    for key in ("title", "summary", "setting", "jurisdiction_note"):
        data[key] = HOSTILE
    data["content_notes"] = [HOSTILE]
    data["objectives"] = [HOSTILE]
    data["debrief_notes"] = [HOSTILE]
    data["reflection_prompts"] = [HOSTILE]
    data["provenance"]["notes"] = HOSTILE
    data["client"].update(name=HOSTILE, introduction=HOSTILE, what_matters=[HOSTILE])
    data["ruptures"][0].update(title=HOSTILE, description=HOSTILE)
    for node_ in data["nodes"]:
        node_["title"] = HOSTILE
        node_["facilitator"] = {"notes": HOSTILE, "questions": [HOSTILE]}
        for line in node_.get("lines", []):
            for variant in [line, *line.get("variants", [])]:
                for key in ("say", "cue", "narration"):
                    if key in variant:
                        variant[key] = HOSTILE
        for opt in node_.get("options", []):
            opt["text"] = HOSTILE
            opt["feedback"].update(why=HOSTILE, inner_experience=HOSTILE)
            if "stronger" in opt["feedback"]:
                opt["feedback"]["stronger"] = HOSTILE
            for line in opt.get("reaction", []):
                line["say"] = HOSTILE
                line["speaker"] = HOSTILE
    for ending in data["endings"]:
        ending.update(title=HOSTILE, description=HOSTILE, client_view=HOSTILE)
    data.pop("speakers", None)
    from roleplay.core.loader import validate_document
    from roleplay.core.yamlsource import parse_text

    return validate_document(parse_text(yaml.safe_dump(data, allow_unicode=True), "h.yaml"))


FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def test_hostile_text_cannot_get_through_markdown() -> None:
    text = render_guide(_hostile(), Part.ALL, Format.MD)
    assert not FORBIDDEN.search(text)
    assert "␛" in text and "U+202E" in text  # shown, harmless
    assert "<script" not in text and "<img" not in text
    # No live link or image: every bracket is escaped.
    assert not re.search(r"(?<!\\)\[[^\]\n]*(?<!\\)\]\(", text)
    assert "\\[click\\](javascript:alert(1))" in text
    assert "&amp;lt;b&amp;gt;" in text
    # A line break in scenario text starts no heading, list or quote of its own.
    for line in text.splitlines():
        assert not line.startswith(("# heading", "- item", "> quote"))


def test_hostile_text_cannot_get_through_html() -> None:
    page = render_guide(_hostile(), Part.ALL, Format.HTML)
    assert not FORBIDDEN.search(page)
    assert "<script" not in page and "<img" not in page and "onerror=alert" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<a " not in page
    assert "&amp;lt;b&amp;gt;" in page
    tags = set(re.findall(r"</?([a-zA-Z0-9]+)", page))
    assert tags <= {
        "html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "h4", "p",
        "ul", "ol", "li", "blockquote", "strong", "em", "div", "hr",
    }  # fmt: skip


def test_the_document_renderers_fold_space_and_keep_emphasis_well_formed() -> None:
    blocks: list[Block] = [
        Para((b("Why: "), t("two\nlines"), i(" aside "))),
        Bullets(((t("one"),), (t("two"),)), numbered=True),
    ]
    assert to_markdown(blocks) == "**Why:** two lines *aside* \n\n1. one\n2. two\n"
    page = to_html("T", blocks)
    assert "<p><strong>Why: </strong>two lines<em> aside </em></p>" in page
    assert "<ol><li>one</li><li>two</li></ol>" in page
