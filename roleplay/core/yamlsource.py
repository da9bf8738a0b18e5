"""Read a YAML file safely into plain data plus the line and column of every value.

PyYAML's loaders lose positions and silently keep the last of two duplicate keys, so the
file is *composed* (libYAML's safe composer where available) and the node tree turned into
data here. On the way every value's position is recorded under its path (a tuple of keys and
list indexes), which lets pydantic errors and lint findings point at the exact line.
Guards refuse oversized files, alias expansion bombs, deep nesting and bad encodings quickly.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Protocol

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from roleplay.core.diagnostics import ScenarioError, error
from roleplay.core.safetext import clean, unsafe_characters
from roleplay.core.yamlcompose import Composer
from roleplay.core.yamlhints import syntax_hint

MAX_BYTES = 2 * 1024 * 1024
"""Scenario files larger than this are refused (the biggest real one is far smaller)."""
MAX_VALUES = 200_000
"""Most values (after alias expansion) one file may produce: stops 'billion laughs' files."""
MAX_DEPTH = 64
"""Deepest nesting of mappings and lists allowed."""

Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
PathKey = tuple[str | int, ...]


class SourceMap:
    """Where each value of a document is, found on demand from the composed node tree.

    Positions are looked up only when a diagnostic needs one, so valid files pay nothing
    for them. Lines and columns are 1-based.
    """

    def __init__(self, file: str, root: Node | None = None, *, plain: bool = False) -> None:
        self.file = file
        self.root = root
        self.plain = plain
        """Whether no value can hold a character ``safetext.clean`` replaces: the text has
        none, no escape (a backslash) that could write one, and no ``!!binary`` value."""
        self._maps: dict[int, dict[str, tuple[Node, Node]]] = {}
        self._lists: dict[int, list[bool]] = {}

    def _mark(self, node: Node) -> tuple[int, int]:
        return node.start_mark.line + 1, node.start_mark.column + 1

    def locate(self, path: PathKey, *, key: bool = False) -> tuple[int, int]:
        """The position of the value at ``path``, or of its nearest existing ancestor.

        With ``key=True`` the position of the last mapping key itself is given (used for
        unknown keys, where the key is what is wrong).
        """
        node = self.root
        if node is None:
            return 1, 1
        for index, part in enumerate(path):
            last = index == len(path) - 1
            found: Node | None = None
            if isinstance(node, MappingNode):
                pair = self._entries(node).get(str(part))
                if pair is not None:
                    key_node, value_node = pair
                    if last and key:
                        return self._mark(key_node)
                    if _is_alias(value_node, key_node.start_mark.index):
                        return self._mark(key_node)  # point at this use, not the anchor
                    found = value_node
            elif (
                isinstance(node, SequenceNode)
                and isinstance(part, int)
                and 0 <= part < len(node.value)
            ):
                found = node.value[part]
                if self._aliased(node)[part]:
                    return self._mark(node)  # point at the list using it, not the anchor
            if found is None:
                break
            node = found
        return self._mark(node)

    # A lint finding locates its value from the root: with each mapping's keys and each
    # list's aliases worked out once, a file with a hundred warnings walks no list twice.
    def _entries(self, node: MappingNode) -> dict[str, tuple[Node, Node]]:
        """A mapping's text keys and their (key, value) nodes, the first of any repeated."""
        found = self._maps.get(id(node))
        if found is None:
            found = self._maps[id(node)] = {  # reversed: the first of a repeated key wins
                k.value: (k, v) for k, v in reversed(node.value) if isinstance(k, ScalarNode)
            }
        return found

    def _aliased(self, node: SequenceNode) -> list[bool]:
        """For each item of a list, whether it is an alias (it starts before the end of the
        last item written out before it)."""
        found = self._lists.get(id(node))
        if found is None:
            found = []
            limit = node.start_mark.index
            for item in node.value:
                alias = _is_alias(item, limit)
                found.append(alias)
                if not alias:
                    limit = item.end_mark.index
            self._lists[id(node)] = found
        return found


def _is_alias(node: Node, written_after: int) -> bool:
    """Whether a value that should be written after offset ``written_after`` (its key, or
    the item before it) starts before it: only an alias does, since the composed tree shares
    the anchored node, written earlier, between all its uses."""
    return bool(node.start_mark.index < written_after)


@dataclass
class Document:
    """Plain data from a YAML file and where each value came from."""

    data: dict[str, Any]
    source: SourceMap


_STR_TAG = "tag:yaml.org,2002:str"
_NULL_TAG = "tag:yaml.org,2002:null"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAP_TAG = "tag:yaml.org,2002:map"
_SAFE_NESTING_BOUND = 1000
"""libYAML composes recursively in C; far below this depth it is safe without a check."""
_BLOCK_PREFIX = re.compile(r"^[ \t]*(?:[-?:][ \t]+)*", re.MULTILINE)
_LONG_PREFIX = re.compile(rf"^[ \t?:-]{{{_SAFE_NESTING_BOUND // 4}}}", re.MULTILINE)
"""A line starting with a quarter of the bound's worth of the characters a block prefix is
made of (found in C, with no list of every line's prefix)."""


def _position(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset."""
    before = text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


def _refuse_deep_flow(text: str, file: str) -> None:
    """Refuse very deep nesting *before* composing: libYAML's composer recurses in C and
    crashes the process on tens of thousands of nested levels. Counting parser events is
    iterative, so it is safe, but it costs half a parse; it only runs when a cheap upper
    bound on the depth is high. Each block level needs an indent or a '- ', '? ' or ': '
    on its line (so at most two levels per character of a line's prefix), and each flow
    level a bracket."""
    flow = text.count("[") + text.count("{")
    if 2 * flow <= _SAFE_NESTING_BOUND and not _LONG_PREFIX.search(text):
        # At most half the bound in brackets and every block prefix under a quarter of it.
        return
    block = max((len(prefix) for prefix in _BLOCK_PREFIX.findall(text)), default=0)
    if flow + 2 * block < _SAFE_NESTING_BOUND:
        return
    depth = 0
    try:
        for event in yaml.parse(text, Loader=Loader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise _too_deep(file, event.start_mark)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.MarkedYAMLError as exc:
        # libYAML 0.2.5 as bundled with PyYAML 6.0.4 has its own nesting limit (about
        # 1,000 levels), met while scanning ahead, before any event reaches the count.
        if _LIBYAML_NESTING in (exc.problem or ""):
            raise _too_deep(file, exc.problem_mark) from None
        return  # a syntax error: composing reports it with its position
    except yaml.YAMLError:
        return


_LIBYAML_NESTING = "maximum nesting depth"


class _Mark(Protocol):
    """A position in the text: PyYAML's pure-Python and libYAML marks both have these."""

    line: int
    column: int


def _too_deep(file: str, mark: _Mark | None) -> ScenarioError:
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    return ScenarioError(
        [error(file, line, column, f"nesting deeper than {MAX_DEPTH} levels", "too-deep")]
    )


def _clean_tag(tag: str) -> str:
    """A tag as the author wrote it (``!!python/...`` rather than the full URI), cleaned."""
    short = (
        "!!" + tag.removeprefix("tag:yaml.org,2002:")
        if tag.startswith("tag:yaml.org,2002:")
        else tag
    )
    return clean(short, newlines=False)


class _Builder:
    """Turns a composed node tree into data, refusing abuse (duplicates, bombs, depth)."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.count = 0
        self.scalars = SafeConstructor()
        self.active: set[int] = set()
        self.binary = False
        """Whether a value was read as bytes (``!!binary``), which can hold any character."""

    def fail(self, node: Node, message: str, code: str) -> ScenarioError:
        mark = node.start_mark
        return ScenarioError([error(self.file, mark.line + 1, mark.column + 1, message, code)])

    def build(self, node: Node, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_VALUES:
            raise self.fail(
                node,
                f"the document expands to more than {MAX_VALUES:,} values (anchors and aliases "
                "repeated over and over?); simplify the file",
                "too-large",
            )
        if isinstance(node, ScalarNode):
            if node.tag == _STR_TAG:
                return node.value  # the common case, without the constructor's overhead
            try:
                value = self.scalars.construct_object(node, deep=True)
            except ConstructorError as exc:
                problem = exc.problem or "unreadable value"
                raise self.fail(node, f"cannot read this value: {problem}", "yaml-value") from None
            except Exception:  # PyYAML raises KeyError etc. for bad tagged values
                raise self.fail(
                    node,
                    f"cannot read {node.value!r} as {node.tag.rsplit(':', 1)[-1]}; "
                    "remove the tag or quote the text",
                    "yaml-value",
                ) from None
            self.binary = self.binary or isinstance(value, bytes)
            return value
        if depth > MAX_DEPTH:
            raise self.fail(node, f"nesting deeper than {MAX_DEPTH} levels", "too-deep")
        if id(node) in self.active:
            raise self.fail(node, "an alias refers to its own anchor (a loop)", "yaml-recursive")
        expected = _SEQ_TAG if isinstance(node, SequenceNode) else _MAP_TAG
        if node.tag != expected:
            # PyYAML's safe constructor would ignore the tag and build a plain list or
            # mapping; a tag such as !!python/object/apply is an attack, not data: say so.
            kind = "list" if isinstance(node, SequenceNode) else "mapping"
            raise self.fail(
                node,
                f"cannot read this {kind}: the tag {_clean_tag(node.tag)} is not allowed "
                "in a scenario; remove the tag",
                "yaml-value",
            )
        self.active.add(id(node))
        try:
            if isinstance(node, SequenceNode):
                return self._sequence(node, depth)
            if isinstance(node, MappingNode):
                return self._mapping(node, depth)
        finally:
            self.active.discard(id(node))
        raise self.fail(node, "unsupported YAML node", "yaml-value")  # pragma: no cover

    # Most values are plain text: the loops below take those without a call to ``build``
    # (the same count and the same errors, since ``build`` is called for any value that
    # would take the count over its limit).
    def _sequence(self, node: SequenceNode, depth: int) -> list[Any]:
        items: list[Any] = []
        for item in node.value:
            if item.__class__ is ScalarNode and item.tag == _STR_TAG and self.count < MAX_VALUES:
                self.count += 1
                items.append(item.value)
            else:
                items.append(self.build(item, depth + 1))
        return items

    def _mapping(self, node: MappingNode, depth: int) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag != _STR_TAG or not isinstance(key_node, ScalarNode):
                if key_node.tag == "tag:yaml.org,2002:merge":
                    raise self.fail(
                        key_node,
                        "merge keys ('<<') are not supported in scenarios; write the keys out",
                        "yaml-merge",
                    )
                raise self.fail(
                    key_node,
                    "a key must be a name such as 'title' (quote it if YAML reads it as a "
                    "number, boolean or other value)",
                    "yaml-key",
                )
            key = key_node.value
            if key in result:
                first = next(k for k, _ in node.value if k.value == key).start_mark
                raise self.fail(
                    key_node,
                    f"duplicate key '{key}' (first given at line {first.line + 1}, column "
                    f"{first.column + 1}); YAML would silently keep only the last one: remove "
                    "or rename one",
                    "duplicate-key",
                )
            if (
                value_node.__class__ is ScalarNode
                and value_node.tag == _STR_TAG
                and self.count < MAX_VALUES
            ):
                self.count += 1
                result[key] = value_node.value
            else:
                result[key] = self.build(value_node, depth + 1)
        return result


def decode_text(raw: bytes, file: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        line_start = before.rfind(b"\n") + 1
        # Count characters, not bytes, as an editor does.
        column = len(raw[line_start : exc.start].decode("utf-8", errors="replace")) + 1
        raise ScenarioError(
            [
                error(
                    file,
                    line,
                    column,
                    f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x}); "
                    "save it as UTF-8 in your editor",
                    "encoding",
                )
            ]
        ) from None


def missing_reason(path: Path) -> str | None:
    """Why nothing can be opened at ``path`` (``None`` when something is there).

    ``Path.exists`` says only "no" for a loop of symbolic links or a link to nowhere; an
    author looking at a file that is plainly listed deserves the real reason.
    """
    try:
        path.stat()
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "a loop of symbolic links (following them leads back to where they start)"
        if path.is_symlink():
            return f"a symbolic link to something that does not exist ({os.readlink(path)})"
        if exc.errno in (errno.ENOENT, errno.ENOTDIR):
            return "no such file or folder"
        return f"cannot be opened: {exc.strerror}"
    return None


def read_bytes(path: Path) -> bytes:
    """Read a scenario file's bytes, refusing directories, missing files and huge files."""
    file = str(path)
    if (missing := missing_reason(path)) is not None:
        if missing == "no such file or folder":
            missing = "no such file; check the path"
        raise ScenarioError([error(file, 1, 1, missing, "not-found")])
    if path.is_dir():
        raise ScenarioError(
            [error(file, 1, 1, "this is a folder, not a scenario file", "not-a-file")]
        )
    try:
        # Opened without waiting and checked on the open file: a pipe (or a file replaced
        # by one, say before ctrl+r) would otherwise block until something wrote to it.
        handle = os.fdopen(os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)), "rb")
    except OSError as exc:
        raise ScenarioError(
            [error(file, 1, 1, f"cannot read the file: {exc.strerror}", "unreadable")]
        ) from None
    with handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            what = "not a regular file (a pipe, device or socket); name a scenario file"
            raise ScenarioError([error(file, 1, 1, what, "not-a-file")])
        return _read_capped(handle, file)


def _read_capped(handle: BinaryIO, file: str) -> bytes:
    try:
        size = os.fstat(handle.fileno()).st_size
        if size > MAX_BYTES:
            too_big = (
                f"the file is {size:,} bytes; scenario files may be at most {MAX_BYTES:,} "
                "bytes: split it into several scenarios"
            )
            raise ScenarioError([error(file, 1, 1, too_big, "too-large")])
        # Read one byte past the cap so a file that grew after stat is still refused.
        raw = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise ScenarioError(
            [error(file, 1, 1, f"cannot read the file: {exc.strerror}", "unreadable")]
        ) from None
    if len(raw) > MAX_BYTES:
        raise ScenarioError(
            [error(file, 1, 1, f"the file is larger than {MAX_BYTES:,} bytes", "too-large")]
        )
    return raw


def parse_text(text: str, file: str) -> Document:
    """Parse YAML text into a mapping plus its source map, or raise ScenarioError."""
    _refuse_deep_flow(text, file)
    try:
        root = yaml.compose(text, Loader=Composer)
    except yaml.reader.ReaderError as exc:
        line, column = _position(text, exc.position)
        code = exc.character if isinstance(exc.character, int) else ord(exc.character or "?")
        raise ScenarioError(
            [
                error(
                    file,
                    line,
                    column,
                    f"the file contains a character YAML does not allow (#x{code:04x}); remove it",
                    "yaml-syntax",
                )
            ]
        ) from None
    except yaml.MarkedYAMLError as exc:
        if _LIBYAML_NESTING in (exc.problem or ""):
            raise _too_deep(file, exc.problem_mark) from None
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or "invalid YAML"
        context = f" ({exc.context})" if exc.context else ""
        hint = syntax_hint(text, line, column, problem)
        raise ScenarioError(
            [error(file, line, column, f"YAML syntax: {problem}{context}; {hint}", "yaml-syntax")]
        ) from None
    except yaml.YAMLError as exc:
        raise ScenarioError([error(file, 1, 1, f"YAML error: {exc}", "yaml-syntax")]) from None
    if root is None or (
        isinstance(root, ScalarNode) and root.tag == _NULL_TAG and root.value in ("", "~", "null")
    ):
        raise ScenarioError(
            [
                error(
                    file,
                    1,
                    1,
                    "the file is empty; a scenario starts with keys such as 'id:' and 'title:' "
                    "(run 'roleplay new ID' for a starting point)",
                    "empty",
                )
            ]
        )
    if not isinstance(root, MappingNode):
        mark = root.start_mark
        raise ScenarioError(
            [
                error(
                    file,
                    mark.line + 1,
                    mark.column + 1,
                    "the top level must be a mapping of keys ('id:', 'title:', ...), "
                    "not a list or a single value",
                    "not-a-mapping",
                )
            ]
        )
    builder = _Builder(file)
    try:
        data = builder.build(root, 0)
    except RecursionError:
        raise ScenarioError(
            [error(file, 1, 1, "the document is nested too deeply", "too-deep")]
        ) from None
    # Decided once for the whole text (in C), so the lint need not look at each value of a
    # clean file; escapes only exist in double-quoted text, after a backslash.
    plain = not builder.binary and "\\" not in text and not unsafe_characters(text)
    return Document(data=data, source=SourceMap(file, root, plain=plain))
