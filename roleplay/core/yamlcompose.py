"""libYAML's safe composer with a faster tag resolver, for ``yamlsource``.

libYAML composes the node tree in C but calls back into Python to resolve the tag of every
value it composes; PyYAML's resolver then looks for path resolvers (the safe loader has
none) and tries its patterns one at a time. Scenario files are mostly plain text, which one
combined pattern can rule out at once.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.nodes import ScalarNode, SequenceNode

Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STR_TAG = "tag:yaml.org,2002:str"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAP_TAG = "tag:yaml.org,2002:map"
_RESOLVED_FIRST = frozenset(first for first in Loader.yaml_implicit_resolvers if first)
"""First characters of plain scalars that may be something other than text (yes, 12, ~)."""
_NOT_TEXT = re.compile(
    "|".join(
        sorted(
            {
                f"(?:{pattern.pattern})"
                for resolvers in Loader.yaml_implicit_resolvers.values()
                for _, pattern in resolvers
            }
        )
    ),
    re.VERBOSE,
)
"""Any of PyYAML's patterns for plain scalars that are not text, in one (a value that
matches none is text, without trying each in Python)."""


class Composer(Loader):  # type: ignore[misc]
    """The safe composer, with tags resolved as PyYAML resolves them but without its path
    resolvers (the safe loader has none) and without trying every pattern on plain text
    that cannot match one: libYAML calls back into Python for every value it composes."""

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        return None

    def ascend_resolver(self) -> None:
        return None

    def resolve(self, kind: type, value: Any, implicit: Any) -> str:
        if kind is ScalarNode:
            if (
                implicit[0]
                and (not value or value[0] in _RESOLVED_FIRST)
                and _NOT_TEXT.match(value)
            ):
                tag: str = super().resolve(kind, value, implicit)
                return tag
            return _STR_TAG
        return _SEQ_TAG if kind is SequenceNode else _MAP_TAG
