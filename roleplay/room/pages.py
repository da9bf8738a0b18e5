"""The room's two pages: a student's (vote, then see what is revealed, answer the
discussion questions) and the projector's (read-only, large). Plain HTML with one small
inline script; no external assets, so they work on a network without the Internet.

The server draws the page as it is now (it works without the script: the buttons are a
form that posts and comes back); the script then asks for the state every few seconds
and redraws only the parts that changed, as text (never as HTML), keeping the focus and
what a student is typing. Every string here has been cleaned by ``RoomState`` and is
escaped again by ``html.escape``.
"""

from __future__ import annotations

import html
import json
from typing import Any

from roleplay.room.script import SCRIPT

_STATUS = {
    "waiting": "The session has not started yet. This page updates by itself.",
    "voting": "Choose one option. You can change your vote until it is locked.",
    "locked": "Vote locked.",
    "revealed": "Here is what happened.",
    "ended": "The session has ended. Thank you.",
}

STYLE = """
:root { color-scheme: light dark; --fg: #111; --bg: #fff; --accent: #0b57d0; --muted: #444; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #f2f2f2; --bg: #121212; --accent: #8ab4f8; --muted: #c8c8c8; }
}
* { box-sizing: border-box; }
body { font: 1.15rem/1.5 system-ui, sans-serif; color: var(--fg); background: var(--bg);
  margin: 0; }
main { max-width: 40rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.5rem; margin: 0.5rem 0; }
h2 { font-size: 1.25rem; margin: 1.25rem 0 0.5rem; }
.status { font-weight: bold; padding: 0.75rem; border: 2px solid var(--accent);
  border-radius: 0.5rem; }
.options { display: grid; gap: 0.75rem; }
button, textarea, input { font: inherit; color: inherit; }
button.option { display: flex; gap: 0.75rem; align-items: flex-start; text-align: left;
  min-height: 3.5rem; width: 100%; padding: 0.75rem; border: 2px solid var(--muted);
  border-radius: 0.5rem; background: transparent; cursor: pointer; }
button.option[aria-pressed="true"] { border: 4px solid var(--accent); font-weight: bold; }
button.option[aria-pressed="true"]::after { content: "✓ your vote"; margin-left: auto;
  white-space: nowrap; }
button:focus-visible, textarea:focus-visible { outline: 3px solid var(--accent);
  outline-offset: 2px; }
.letter { font-weight: bold; min-width: 1.5em; }
div.option.mine { font-weight: bold; }
.counts li { margin: 0.25rem 0; }
.bar { display: block; height: 0.6em; background: var(--accent); margin: 0.2rem 0 0.4rem;
  min-width: 2px; }
.cue, .narration { font-style: italic; color: var(--muted); }
textarea { width: 100%; min-height: 6rem; padding: 0.5rem; background: transparent;
  border: 2px solid var(--muted); border-radius: 0.5rem; }
.send { min-height: 3rem; padding: 0.5rem 1.5rem; margin-top: 0.5rem; border-radius: 0.5rem;
  border: 2px solid var(--accent); background: var(--accent); color: var(--bg); }
.shared li { margin: 0.5rem 0; }
"""

PROJECTOR_STYLE = """
main { max-width: none; padding: 2rem 20rem 2rem 3rem; }
body { font-size: 2rem; }
h1 { font-size: 2.6rem; }
h2 { font-size: 2.2rem; }
.join { position: fixed; top: 1rem; right: 1rem; width: 17rem; text-align: center;
  font-size: 1.2rem; }
.join svg { width: 12rem; height: 12rem; }
@media (max-width: 60rem) {
  main { padding: 1rem 2rem; }
  .join { position: static; width: auto; }
}
.code { font: bold 2.2rem monospace; letter-spacing: 0.2em; }
.option { padding: 0.5rem 0; display: flex; gap: 1rem; }
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _json_for_script(value: dict[str, Any]) -> str:
    """JSON that cannot end the ``<script>`` element it sits in."""
    text = json.dumps(value, ensure_ascii=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _heading(view: dict[str, Any]) -> str:
    if view.get("moment"):
        return f"Moment {view['moment']} · {view.get('title', '')}"
    return str(view.get("scenario", ""))


def status_text(view: dict[str, Any]) -> str:
    """The status line a screen reader announces when it changes."""
    phase = view["phase"]
    mine = view.get("mine")
    if phase == "voting" and mine:
        return f"Your vote: {mine}. You can change it until the vote is locked."
    if phase == "locked" and mine is not None:
        return f"Vote locked. Your vote: {mine}."
    text = _STATUS.get(phase, "")
    if phase == "voting" and view.get("round", 1) > 1:
        text = "Revote: " + text
    return text


def _options_html(view: dict[str, Any], *, interactive: bool) -> str:
    if view["phase"] not in ("voting", "locked", "revealed"):
        return ""
    items = []
    for option in view.get("options", []):
        letter, text = _e(option["letter"]), _e(option["text"])
        inner = f"<span class='letter'>{letter}</span> <span>{text}</span>"
        if interactive and view["phase"] == "voting":
            pressed = "true" if view.get("mine") == option["letter"] else "false"
            items.append(
                f"<button class='option' type='submit' name='letter' value='{letter}' "
                f"aria-pressed='{pressed}'>{inner}</button>"
            )
        elif view.get("mine") == option["letter"]:
            items.append(f"<div class='option mine'>{inner} <span>✓ your vote</span></div>")
        else:
            items.append(f"<div class='option'>{inner}</div>")
    body = "".join(items)
    if interactive and view["phase"] == "voting":
        body = (
            f"<form method='post' action='vote' id='vote-form'>"
            f"<input type='hidden' name='moment' value='{_e(view['moment'])}'>"
            f"<input type='hidden' name='round' value='{_e(view['round'])}'>"
            f"<div class='options' role='group' aria-labelledby='prompt'>{body}</div></form>"
        )
    else:
        body = f"<div class='options'>{body}</div>"
    return f"<h2 id='prompt'>{_e(view.get('prompt', ''))}</h2>{body}"


def _counts_html(view: dict[str, Any]) -> str:
    counts = view.get("counts")
    if not counts:
        return ""
    total = view.get("total") or 0
    rows = []
    for letter, count in counts.items():
        share = round(100 * count / total) if total else 0
        votes = "vote" if count == 1 else "votes"
        rows.append(
            f"<li>{_e(letter)}: {count} {votes} ({share}%)"
            f"<span class='bar' style='width:{share}%' aria-hidden='true'></span></li>"
        )
    return f"<h2>The room's votes ({total})</h2><ul class='counts'>{''.join(rows)}</ul>"


def _reveal_html(view: dict[str, Any]) -> str:
    shown = view.get("revealed")
    if not shown:
        return ""
    parts = [
        "<h2>What happened</h2>",
        f"<p>{_e(shown['who'])}</p>",
        f"<p><strong>{_e(shown['letter'])}:</strong> {_e(shown['text'])}</p>",
    ]
    for line in shown["lines"]:
        if line["narration"]:
            parts.append(f"<p class='narration'>{_e(line['narration'])}</p>")
        if line["cue"]:
            parts.append(f"<p class='cue'>({_e(line['cue'])})</p>")
        if line["say"]:
            parts.append(f"<p><strong>{_e(line['speaker'])}:</strong> {_e(line['say'])}</p>")
    if shown["why"]:
        parts.append(f"<p>{_e(shown['why'])}</p>")
    return "".join(parts)


def _answer_html(view: dict[str, Any]) -> str:
    questions = view.get("questions") or []
    if not questions:
        return ""
    items = "".join(f"<li>{_e(q)}</li>" for q in questions)
    parts = [f"<h2>Questions for the room</h2><ul>{items}</ul>"]
    if view.get("can_answer"):
        limit = _e(view.get("max_answer", 500))
        parts.append(
            "<form method='post' action='answer' id='answer-form'>"
            f"<input type='hidden' name='moment' value='{_e(view['moment'])}'>"
            "<label for='answer-text'>Your answer (anonymous; the facilitator chooses "
            f"what the room sees; at most {limit} characters)</label>"
            f"<textarea id='answer-text' name='text' maxlength='{limit}' required></textarea>"
            "<button class='send' type='submit'>Send answer</button></form>"
        )
    elif view.get("sent"):
        parts.append("<p>Thank you: your answers were sent.</p>")
    return "".join(parts)


def _shared_html(view: dict[str, Any]) -> str:
    answers = view.get("answers") or []
    if not answers:
        return ""
    items = "".join(f"<li>{_e(a)}</li>" for a in answers)
    return f"<h2>Answers from the room</h2><ul class='shared'>{items}</ul>"


def _sections(view: dict[str, Any], *, interactive: bool) -> dict[str, str]:
    # After the reveal what happened comes first, then the questions; while voting the
    # sections above the options are empty.
    return {
        "heading": f"<h1>{_e(_heading(view))}</h1>",
        "status": _e(status_text(view)),
        "reveal": _reveal_html(view),
        "answer": _answer_html(view) if interactive else "",
        "shared": _shared_html(view),
        "vote": _options_html(view, interactive=interactive),
        "counts": _counts_html(view),
    }


def page(view: dict[str, Any], *, nonce: str, projector: bool = False, join: str = "") -> str:
    """A whole page for ``view``: the student's, or the projector's with ``join`` shown."""
    sections = _sections(view, interactive=not projector)
    style = STYLE + (PROJECTOR_STYLE if projector else "")
    title = "roleplay · room view" if projector else "roleplay · vote"
    body = "".join(
        f"<div id='{name}'>{content}</div>"
        for name, content in sections.items()
        if name not in ("heading", "status")
    )
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{title}</title><style nonce='{nonce}'>{style}</style></head><body><main>"
        f"{join}<div id='heading'>{sections['heading']}</div>"
        f"<p id='status' class='status' role='status' aria-live='polite'>"
        f"{sections['status']}</p>{body}"
        "<noscript><p>This page updates itself with a small script; without it, reload "
        "the page to see the current vote.</p></noscript></main>"
        f"<script type='application/json' id='initial'>{_json_for_script(view)}</script>"
        f"<script nonce='{nonce}'>{SCRIPT}</script></body></html>"
    )


def join_box(address: str, code: str | None, qr_svg: str) -> str:
    """The projector's corner: how to join (the QR code, the address and the code)."""
    code_part = (
        f"<p>or open {_e(address)}<br>and type <span class='code'>{_e(code)}</span></p>"
        if code
        else ""
    )
    return (
        f"<aside class='join' aria-label='How to join'>{qr_svg}"
        f"<p>Scan to vote</p>{code_part}</aside>"
    )


def join_page(nonce: str, message: str = "", *, closed: bool = False) -> str:
    """The page where a student types the short join code."""
    form = (
        "<form method='post' action='/join'>"
        "<label for='code'>Join code</label><br>"
        "<input id='code' name='code' autocomplete='off' autocapitalize='characters' "
        "spellcheck='false' maxlength='12' required style='font-size:1.5rem;padding:0.5rem'>"
        "<button class='send' type='submit'>Join</button></form>"
    )
    if closed:
        form = ""
    note = f"<p class='status' role='alert'>{_e(message)}</p>" if message else ""
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>roleplay · join</title><style nonce='{nonce}'>{STYLE}</style></head>"
        f"<body><main><h1>Join the room</h1>{note}"
        "<p>Type the code shown by your facilitator.</p>"
        f"{form}</main></body></html>"
    )
