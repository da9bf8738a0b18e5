"""The JSON Schema of the scenario format, for editors (yaml-language-server) and docs."""

from __future__ import annotations

import json
from typing import Any

from roleplay.core.models import Scenario


def scenario_schema() -> dict[str, Any]:
    """The schema as a dict, with every field's docstring as its description."""
    schema = Scenario.model_json_schema(mode="validation")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def schema_json() -> str:
    """The schema as indented JSON text."""
    return json.dumps(scenario_schema(), indent=2, ensure_ascii=False)
