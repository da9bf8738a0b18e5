"""Draw a scenario's branches as Mermaid or Graphviz DOT text.

Decision points are boxes, closing beats are rounded, endings are their own shapes; each
edge is labelled with the option's number and rating symbol. Edges that open a rupture are
dashed and say so; edges that repair one are bold.

Every label and id from the scenario goes through ``core.safetext.clean`` (one line, no
control or bidi-override characters), so the output is safe on a terminal and in a file;
Mermaid labels also cannot hold HTML.
"""

from __future__ import annotations

import json

from roleplay.core.models import Node, Option, Scenario
from roleplay.core.safetext import clean


def _edge_label(number: int, option: Option) -> str:
    label = f"{number} {option.feedback.rating.symbol}"
    effects = option.effects
    if effects.trust:
        label += f" {effects.trust:+d}"
    if effects.open_rupture:
        label += f" opens {effects.open_rupture}"
    if effects.repair_rupture:
        label += f" repairs {effects.repair_rupture}"
    if option.when is not None:
        label += " (if)"
    return label


def _title(node: Node) -> str:
    return node.display_title  # as the debrief shows it: an untitled node by its id made readable


def _mermaid_text(text: str) -> str:
    # Mermaid labels are quoted; quotes inside become the #quot; entity. Mermaid draws
    # labels as HTML, so angle brackets become entity codes too: a title is never a tag.
    text = clean(text, newlines=False, tabs=False).replace('"', "#quot;")
    return '"' + text.replace("<", "#lt;").replace(">", "#gt;") + '"'


def to_mermaid(scenario: Scenario) -> str:
    """Mermaid flowchart source."""
    out = ["flowchart TD"]
    ids = {node.id: f"n{index}" for index, node in enumerate(scenario.nodes)}
    ending_ids = {ending.id: f"e{index}" for index, ending in enumerate(scenario.endings)}
    for node in scenario.nodes:
        label = _mermaid_text(_title(node))
        shape = f"({label})" if node.is_ending else f"[{label}]"
        out.append(f"    {ids[node.id]}{shape}")
    for ending in scenario.endings:
        out.append(f"    {ending_ids[ending.id]}([{_mermaid_text('END: ' + ending.title)}])")
    link = 0
    dashed: list[int] = []
    bold: list[int] = []
    for node in scenario.nodes:
        for index, option in enumerate(node.options):
            target = ids.get(option.next)
            if target is None:
                continue
            label = _mermaid_text(_edge_label(index + 1, option))
            out.append(f"    {ids[node.id]} -->|{label}| {target}")
            if option.effects.open_rupture:
                dashed.append(link)
            if option.effects.repair_rupture:
                bold.append(link)
            link += 1
        for choice in node.ending_choices():
            target = ending_ids.get(choice.ending)
            if target is None:
                continue
            arrow = f"-.->|{_mermaid_text('if')}|" if choice.when is not None else "-.->"
            out.append(f"    {ids[node.id]} {arrow} {target}")
            link += 1
    out.append(f"    style {ids[scenario.start]} stroke-width:3px")
    if dashed:
        out.append(f"    linkStyle {','.join(map(str, dashed))} stroke-dasharray:5 5")
    if bold:
        out.append(f"    linkStyle {','.join(map(str, bold))} stroke-width:3px")
    return "\n".join(out) + "\n"


def _dot_text(text: str) -> str:
    # A JSON string is a valid DOT quoted string, but DOT knows no \\u escapes: keep
    # non-ASCII characters as they are, after cleaning (so JSON has no control to escape).
    return json.dumps(clean(text, newlines=False, tabs=False), ensure_ascii=False)


def to_dot(scenario: Scenario) -> str:
    """Graphviz DOT source."""
    out = [f"digraph {_dot_text(scenario.id)} {{", "    rankdir=TB;", "    node [fontsize=10];"]
    for node in scenario.nodes:
        shape = "box, style=rounded" if node.is_ending else "box"
        width = ", penwidth=3" if node.id == scenario.start else ""
        name, label = _dot_text("node:" + node.id), _dot_text(_title(node))
        out.append(f"    {name} [label={label}, shape={shape}{width}];")
    for ending in scenario.endings:
        out.append(
            f"    {_dot_text('ending:' + ending.id)} "
            f"[label={_dot_text('END: ' + ending.title)}, shape=doubleoctagon];"
        )
    for node in scenario.nodes:
        for index, option in enumerate(node.options):
            style = ""
            if option.effects.open_rupture:
                style = ", style=dashed"
            if option.effects.repair_rupture:
                style = ", style=bold"
            out.append(
                f"    {_dot_text('node:' + node.id)} -> {_dot_text('node:' + option.next)} "
                f"[label={_dot_text(_edge_label(index + 1, option))}{style}];"
            )
        for choice in node.ending_choices():
            label = ', label="(if)"' if choice.when is not None else ""
            out.append(
                f"    {_dot_text('node:' + node.id)} -> {_dot_text('ending:' + choice.ending)} "
                f"[style=dotted{label}];"
            )
    out.append("}")
    return "\n".join(out) + "\n"
