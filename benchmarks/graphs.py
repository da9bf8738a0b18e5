"""Scenario graphs that grow, for timing path analysis by size.

Each takes the number of decision points and returns scenario data (a dict) built on
``generate.layered``: trust moves on every choice and the ending is chosen by band, so the
trust a state carries matters.

- ``chain``: decisions in a row, two options each to the next (2^n paths).
- ``loops``: a chain where every decision after the first also offers a way back to the
  one before (infinitely many paths).
- ``wide``: a start, then layers of four decisions, each offering four options, one to
  each decision of the next layer (4^layers paths).
- ``flags``: a chain where the first option at each decision sets a flag and a third
  option at the next decision is only on offer if it was set (read once, never again).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from benchmarks.generate import layered

KINDS = ("chain", "loops", "wide", "flags")


def chain(size: int) -> dict[str, Any]:
    """Decisions in a row, two options each."""
    return layered(f"chain-{size}", size, 2)


def loops(size: int) -> dict[str, Any]:
    """A chain with a way back at every decision after the first."""
    data = layered(f"loops-{size}", size, 2)
    nodes = data["nodes"]
    for index in range(1, size):
        back = copy.deepcopy(nodes[index]["options"][1])
        back["id"] = "back"
        back["next"] = nodes[index - 1]["id"]
        back["effects"] = {"trust": -1}
        nodes[index]["options"].append(back)
    return data


def wide(size: int) -> dict[str, Any]:
    """Layers of four decisions, each with an option to every decision of the next layer."""
    width = 4
    layers = max(1, size // width)
    data = layered(f"wide-{size}", 1, 4)
    template = data["nodes"][0]
    nodes: list[dict[str, Any]] = []
    for layer in range(layers):
        for column in range(width if layer else 1):  # one start, then layers of four
            node = copy.deepcopy(template)
            node["id"] = f"l{layer}-{column}"
            node["title"] = f"Layer {layer + 1}, {column + 1}"
            for k, option in enumerate(node["options"]):
                option["next"] = f"l{layer + 1}-{k}" if layer + 1 < layers else "close"
            nodes.append(node)
    data["nodes"] = [*nodes, data["nodes"][-1]]
    data["start"] = "l0-0"
    return data


def flags(size: int) -> dict[str, Any]:
    """A chain where each decision's first option sets a flag read only at the next one."""
    data = layered(f"flags-{size}", size, 2)
    nodes = data["nodes"]
    for index in range(size):
        options = nodes[index]["options"]
        options[0]["effects"]["set_flags"] = [f"f{index}"]
        if index > 0:
            extra = copy.deepcopy(options[1])
            extra["id"] = "o2"
            extra["when"] = {"flags": [f"f{index - 1}"]}
            options.append(extra)
    return data


BUILDERS: dict[str, Callable[[int], dict[str, Any]]] = {
    "chain": chain,
    "loops": loops,
    "wide": wide,
    "flags": flags,
}
