"""libyaml's C composer and a small builder: the reference reading of a YAML file.

Plain scalars follow the YAML 1.2 core schema, read by `yamlnumbers`:
`yes`/`no`/`on`/`off` stay strings, dates stay strings (JSON Schema checks
their format), `<<` is an ordinary key, `010` is ten. Builds plain dicts,
lists and scalars, within the limits of `source` (values after alias
expansion, nesting depth), and records duplicate keys with their positions.
A number beyond the range of a double (±1.8e308: a 5,000-digit integer,
`1e999`), and `.inf` or `.nan`, is a limit like nesting depth, recorded with
its position, because every reader of the value (JSON output, `show`,
`export`, KPIs) would fail on it. Its node marks give problems their
positions (`positions`). Imported only for a text yaml-rs does not read (see
`yamlload`) and for a file with a problem to locate: PyYAML costs about
25 ms to import.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

import yaml
import yaml.cyaml

from tagctl.catalog.source import MAX_DEPTH, MAX_NODES, DuplicateKey, Mark, Source
from tagctl.catalog.yamlnumbers import (
    OutOfRange,
    float_value,
    int_value,
    out_of_range,
    plain_value,
)

_STR = "tag:yaml.org,2002:str"
_PLAIN = "?"  # a plain scalar whose type is decided by `plain_value`


class _Composer(yaml.cyaml.CParser):  # type: ignore[misc, name-defined]
    """libyaml's parser and composer; node tags are settled later, in `_Builder`.

    The C composer asks Python to resolve every node; these stubs answer in
    constant time, which is what makes this loader about twice as fast as
    PyYAML's CSafeLoader.
    """

    def resolve(self, kind: type, value: Any, implicit: Any) -> str:
        if kind is yaml.ScalarNode:
            return _PLAIN if implicit[0] else _STR
        return "map" if kind is yaml.MappingNode else "seq"

    def descend_resolver(self, *_: Any) -> None:
        return None

    def ascend_resolver(self, *_: Any) -> None:
        return None


class _Limit(Exception):
    def __init__(self, mark: Mark) -> None:
        self.mark = mark


class _Builder:
    """Nodes to plain Python values, with limits, recording duplicate keys."""

    _TAGGED: ClassVar[dict[str, Callable[[str], Any]]] = {
        "tag:yaml.org,2002:int": int_value,
        "tag:yaml.org,2002:float": float_value,
        "tag:yaml.org,2002:bool": lambda v: {"true": True, "false": False}[v.lower()],
        "tag:yaml.org,2002:null": lambda v: None,
    }

    def __init__(self) -> None:
        self.count = 0
        self.duplicates: list[DuplicateKey] = []

    def build(self, node: Any, depth: int = 0) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise _Limit(Mark(f"the document expands to more than {MAX_NODES} values (aliases?)"))
        cls = node.__class__
        if cls is yaml.ScalarNode:
            try:
                tag = node.tag
                if tag == _PLAIN:
                    return plain_value(node.value)
                return node.value if tag == _STR else self._tagged(node)
            except OutOfRange as exc:
                mark = node.start_mark
                problem = Mark(out_of_range(exc.value), mark.line + 1, mark.column + 1)
                raise _Limit(problem) from None
        if depth >= MAX_DEPTH:
            mark = node.start_mark
            raise _Limit(
                Mark(
                    f"the document nests deeper than {MAX_DEPTH} levels",
                    mark.line + 1,
                    mark.column + 1,
                )
            )
        if node.tag not in ("map", "seq"):
            raise _syntax(node, f"unsupported tag '{_short_tag(node.tag)}'")
        if cls is yaml.SequenceNode:
            return [self.build(item, depth + 1) for item in node.value]
        return self._mapping(node, depth)

    def _mapping(self, node: Any, depth: int) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = self.build(key_node, depth + 1)
            if isinstance(key, (dict, list)):
                raise _syntax(key_node, "a mapping key must be a plain value")
            if key in result:
                mark = key_node.start_mark
                self.duplicates.append(DuplicateKey(str(key), mark.line + 1, mark.column + 1))
            result[key] = self.build(value_node, depth + 1)
        return result

    def _tagged(self, node: Any) -> Any:
        convert = self._TAGGED.get(node.tag)
        if convert is None:
            raise _syntax(node, f"unsupported tag '{_short_tag(node.tag)}'")
        try:
            return convert(node.value)
        except (ValueError, KeyError):
            value = node.value if len(node.value) <= 32 else node.value[:29] + "..."
            raise _syntax(node, f"'{value}' is not a valid {_short_tag(node.tag)}") from None


class _Syntax(Exception):
    def __init__(self, mark: Mark) -> None:
        self.mark = mark


def _short_tag(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!")


def _syntax(node: Any, message: str) -> _Syntax:
    mark = node.start_mark
    return _Syntax(Mark(message, mark.line + 1, mark.column + 1))


def compose(text: str) -> Any:
    """libyaml's node tree of `text` (nodes carry `start_mark`), or None if it cannot be read.

    Scalar nodes are tagged "?" (plain, typed by `plain_value`) or as written.
    """
    composer = _Composer(text)
    try:
        return composer.get_single_node()
    except yaml.YAMLError:
        return None
    finally:
        composer.dispose()


def scalar_value(node: Any) -> Any:
    """The value of a scalar node from `compose`, as `parse` reads it; its text if it has none."""
    try:
        return _Builder().build(node)
    except (_Syntax, _Limit):
        return node.value


def parse_text(source: Source) -> None:
    """Parse `source.text`, recording every problem on `source`."""
    composer = _Composer(source.text)
    try:
        node = composer.get_single_node()
    except yaml.MarkedYAMLError as exc:
        _record_yaml_error(source, exc)
        return
    except yaml.YAMLError as exc:  # ReaderError: control characters
        _record_reader_error(source, exc)
        return
    finally:
        composer.dispose()
    if node is None:
        source.not_mapping = Mark("the file is empty")
        return
    builder = _Builder()
    try:
        source.data = builder.build(node)
    except _Syntax as exc:
        source.syntax_error = exc.mark
        return
    except _Limit as exc:
        source.too_complex = exc.mark
        return
    source.duplicates = builder.duplicates
    if not isinstance(source.data, dict):
        kind = _kind(source.data)
        source.not_mapping = Mark(f"the document is {kind}, not a mapping of fields")


def _record_yaml_error(source: Source, exc: yaml.MarkedYAMLError) -> None:
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = exc.problem or str(exc)
    if "expected a single document" in str(exc.context or "") + problem:
        source.not_mapping = Mark("the file holds more than one YAML document", line, column)
    elif "unhashable" in problem:
        source.syntax_error = Mark("a mapping key must be a plain value", line, column)
    elif mark and source.text[mark.index : mark.index + 1] == "\t":
        source.syntax_error = Mark("a tab character; YAML indents with spaces", line, column)
    else:
        detail = f"{exc.context}, {problem}" if exc.context else problem
        source.syntax_error = Mark(" ".join(detail.split()), line, column)


def _record_reader_error(source: Source, exc: yaml.YAMLError) -> None:
    position = getattr(exc, "position", 0)
    line, column = offset_position(source.text.encode("utf-8"), position)
    character = getattr(exc, "character", None)
    code = ord(character) if isinstance(character, str) else character
    shown = f" U+{code:04X}" if isinstance(code, int) else ""
    source.not_utf8 = Mark(f"control character{shown} in a text file", line, column)


def offset_position(raw: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters) of byte `offset`."""
    head = raw[:offset]
    start = head.rfind(b"\n") + 1
    column = len(head[start:].decode("utf-8", errors="replace")) + 1
    return head.count(b"\n") + 1, column


def _kind(data: Any) -> str:
    if isinstance(data, list):
        return "a list"
    if data is None:
        return "null"
    return f"a single {type(data).__name__} value"
