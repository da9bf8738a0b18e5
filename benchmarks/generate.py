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


def marked(scenario_id: str, decisions: int, options: int = 3) -> dict[str, Any]:
    """A chain of decisions whose texts carry markers a terminal probe can wait for.

    At decision ``n`` the client's line ends with ``ql{n:03d}``; every option's feedback
    card has ``zw{n:03d}`` in its why, ``zi{n:03d}`` in its inner experience and
    ``zs{n:03d}`` in its stronger reply (the card's last text). Texts are as long as a
    real scenario's, so the card is the size a learner sees.
    """
    data = layered(scenario_id, decisions, options)
    for n, node in enumerate(data["nodes"][:-1]):
        node["lines"] = [
            {"say": f"I have been here before and it did not help much. ql{n:03d}"},
        ]
        for option in node["options"]:
            option["text"] = (
                "It sounds like coming here again took something. What would help today?"
            )
            option["reaction"] = [{"say": "Maybe. We will see.", "cue": "shrugs"}]
            option["feedback"] = {
                "rating": "partly-helpful",
                "skills": ["attunement"],
                "why": "You named the effort it took to come back, which the client had not "
                f"said out loud, and asked what would help now. zw{n:03d}",
                "inner_experience": "Someone noticed. But they have noticed before and "
                f"nothing changed, so I will wait and see. zi{n:03d}",
                "stronger": "Ask what happened last time before asking what would help: "
                f"it shows you want their story first. zs{n:03d}",
            }
    return data
