"""Generate valid scenarios of a chosen size, as YAML text, for benchmarks and tests."""

from __future__ import annotations

from typing import Any

import yaml


def _feedback(rating: str, skill: str) -> dict[str, Any]:
    feedback: dict[str, Any] = {
        "rating": rating,
        "skills": [skill],
        "why": "Generated feedback explaining the choice.",
        "inner_experience": "A generated inner experience.",
    }
    if rating != "builds-trust":
        feedback["stronger"] = "A generated stronger alternative."
    return feedback


def layered(scenario_id: str, layers: int, options: int = 2) -> dict[str, Any]:
    """A chain of ``layers`` decision points, each with ``options`` options to the next.

    It has ``options ** layers`` complete paths (2 ** 40 is about 1.1 * 10^12) but only a few
    thousand distinct states, and trust varies so endings are chosen by band.
    """
    ratings = ["builds-trust", "harmful", "partly-helpful", "missed-opportunity"]
    deltas = [3, -3, 1, -1]
    nodes: list[dict[str, Any]] = []
    for layer in range(layers):
        nxt = f"n{layer + 1}" if layer + 1 < layers else "close"
        nodes.append(
            {
                "id": f"n{layer}",
                "title": f"Moment {layer + 1}",
                "lines": [{"say": f"Line {layer}.", "cue": "pauses"}],
                "options": [
                    {
                        "id": f"o{k}",
                        "text": f"Option {k + 1} at moment {layer + 1}.",
                        "effects": {"trust": deltas[k % 4]},
                        "reaction": [{"say": "Reaction."}],
                        "next": nxt,
                        "feedback": _feedback(ratings[k % 4], "attunement"),
                    }
                    for k in range(options)
                ],
                "facilitator": {"notes": "Notes.", "questions": ["A question?"]},
            }
        )
    nodes.append(
        {
            "id": "close",
            "lines": [{"say": "Goodbye."}],
            "ending": [{"when": {"band": "open"}, "ending": "good"}, {"ending": "unsure"}],
        }
    )
    return {
        "id": scenario_id,
        "title": f"Generated scenario {scenario_id}",
        "summary": "A generated scenario for benchmarks.",
        "minutes": 10,
        "difficulty": "intro",
        "objectives": ["Measure speed."],
        "skills": ["attunement"],
        "provenance": {"authors": ["generator"]},
        "setting": "Nowhere in particular.",
        "client": {
            "name": "Gen",
            "pronouns": "they/them",
            "age": 40,
            "introduction": "I am generated.",
            "what_matters": ["Being fast"],
        },
        "trust": {
            "start": 50,
            "bands": [{"id": "guarded", "min": 0}, {"id": "open", "min": 60}],
        },
        "start": "n0",
        "nodes": nodes,
        "endings": [
            {"id": "good", "title": "Good", "description": "Went well."},
            {"id": "unsure", "title": "Unsure", "description": "Not sure."},
        ],
        "reflection_prompts": ["What did you notice?"],
    }


def layered_yaml(scenario_id: str, layers: int, options: int = 2) -> str:
    """``layered`` as YAML text."""
    return yaml.safe_dump(layered(scenario_id, layers, options), sort_keys=False, width=100)
