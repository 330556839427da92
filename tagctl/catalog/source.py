"""Reading one YAML file into plain Python data, fast, and noting what went wrong.

The fast path is libyaml (through PyYAML's C loader) with YAML 1.2 core
scalars: `yes`/`no`/`on`/`off` stay strings, dates stay strings (JSON Schema
checks their format), `<<` is an ordinary key. ruamel.yaml, which keeps
comments and positions, is used only where a file is edited or a problem
has to be located (see `positions`).

The loader gathers facts (decode error, syntax error, duplicate keys, a BOM,
a document that is too large) on a `Source`; the TG0xx rules turn those facts
into violations.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

MAX_FILE_BYTES = 16 * 1024 * 1024
MAX_NODES = 100_000
MAX_DEPTH = 64

JsonPath = tuple[str | int, ...]


def dotted(path: JsonPath) -> str:
    """A JSON path as text: `owners.data`, `depends_on[2]`."""
    text = ""
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return text


@dataclass(frozen=True)
class Mark:
    """A 1-based position with the reason it is interesting."""

    message: str
    line: int = 1
    column: int = 1


@dataclass(frozen=True)
class DuplicateKey:
    key: str
    line: int
    column: int


@dataclass
class Source:
    """One file as read: its text, its data, and the facts found on the way."""

    path: Path
    raw: bytes = b""
    text: str = ""
    data: Any = None
    unreadable: Mark | None = None
    not_utf8: Mark | None = None
    syntax_error: Mark | None = None
    not_mapping: Mark | None = None
    too_complex: Mark | None = None
    bom: bool = False
    duplicates: list[DuplicateKey] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when `data` is a mapping the rules can read."""
        return isinstance(self.data, dict) and self.too_complex is None


class _Loader(yaml.CSafeLoader):  # type: ignore[misc]
    """libyaml parser, YAML 1.2 core schema, duplicate keys recorded."""

    yaml_implicit_resolvers: dict[str | None, list[tuple[str, re.Pattern[str]]]] = {}

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicates: list[DuplicateKey] = []

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        mapping: dict[Any, Any] = super().construct_mapping(node, deep=deep)
        if len(mapping) != len(node.value):
            seen: set[Any] = set()
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=deep)
                if key in seen:
                    mark = key_node.start_mark
                    self.duplicates.append(
                        DuplicateKey(str(key), mark.line + 1, mark.column + 1)
                    )
                seen.add(key)
        return mapping

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        text = str(self.construct_scalar(node))
        sign = -1 if text.startswith("-") else 1
        digits = text.lstrip("+-")
        if digits.startswith("0o"):
            return sign * int(digits[2:], 8)
        if digits.startswith("0x"):
            return sign * int(digits[2:], 16)
        return sign * int(digits, 10)


def _resolver(tag: str, pattern: str, first: str) -> None:
    _Loader.add_implicit_resolver(tag, re.compile(pattern, re.X), list(first))


_resolver("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", "~nN" + "\0")
_resolver("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF")
_resolver("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789")
_resolver(
    "tag:yaml.org,2002:float",
    r"""^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?
        |[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$""",
    "-+.0123456789",
)
# An empty plain scalar has no first character; PyYAML files it under None.
_Loader.yaml_implicit_resolvers[None] = [
    ("tag:yaml.org,2002:null", re.compile(r"^$"))
]
_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_str)


def read_source(path: Path) -> Source:
    """Read and parse `path`; never raises for a bad file, only records why."""
    source = Source(path)
    try:
        if not path.is_file():
            source.unreadable = Mark(_not_regular(path))
            return source
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            source.too_complex = Mark(f"file is {size // 1024 // 1024} MiB, the limit is 16 MiB")
            return source
        source.raw = path.read_bytes()
    except OSError as exc:
        source.unreadable = Mark(exc.strerror or str(exc))
        return source
    parse_into(source)
    return source


def parse_into(source: Source) -> None:
    """Decode `source.raw` and parse it, recording every problem on `source`."""
    raw = source.raw
    if raw.startswith(b"\xef\xbb\xbf"):
        source.bom = True
        raw = raw[3:]
    try:
        source.text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = _offset_position(raw, exc.start)
        source.not_utf8 = Mark(f"byte 0x{raw[exc.start]:02x} is not valid UTF-8", line, column)
        return
    loader = _Loader(source.text)
    try:
        source.data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        _record_yaml_error(source, exc)
        return
    except yaml.YAMLError as exc:  # ReaderError: control characters
        _record_reader_error(source, exc)
        return
    except RecursionError:
        source.too_complex = Mark(f"nesting deeper than the parser's limit ({MAX_DEPTH})")
        return
    finally:
        loader.dispose()
    source.duplicates = loader.duplicates
    if source.data is None:
        source.not_mapping = Mark("the file is empty")
    elif not isinstance(source.data, dict):
        kind = _kind(source.data)
        source.not_mapping = Mark(f"the document is {kind}, not a mapping of fields")
    elif _looks_complex(raw):
        source.too_complex = _complexity(source.data)


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
    line, column = _offset_position(source.text.encode("utf-8"), position)
    character = getattr(exc, "character", None)
    shown = f" U+{ord(character):04X}" if isinstance(character, str) else ""
    source.not_utf8 = Mark(f"control character{shown} in a text file", line, column)


def _offset_position(raw: bytes, offset: int) -> tuple[int, int]:
    head = raw[:offset]
    line = head.count(b"\n") + 1
    column = offset - (head.rfind(b"\n") + 1) + 1
    return line, column


def _kind(data: Any) -> str:
    if isinstance(data, list):
        return "a list"
    return f"a single {type(data).__name__} value"


def _not_regular(path: Path) -> str:
    if path.is_symlink():
        return "a broken or looping symbolic link"
    if not path.exists():
        return "no such file"
    return "not a regular file"


def _looks_complex(raw: bytes) -> bool:
    """Cheap signs that a document may use aliases, deep nesting or great size."""
    return (
        b"*" in raw
        or len(raw) > 64 * 1024
        or raw.count(b"[") > 64
        or raw.count(b"{") > 64
        or b"\n" + b" " * 80 in raw
    )


def _complexity(data: Any) -> Mark | None:
    """Walk the data once, bounded, so aliases cannot expand it without limit."""
    count = 0
    for depth, _ in walk(data):
        count += 1
        if count > MAX_NODES:
            return Mark(f"the document expands to more than {MAX_NODES} values (aliases?)")
        if depth > MAX_DEPTH:
            return Mark(f"the document nests deeper than {MAX_DEPTH} levels")
    return None


def walk(data: Any) -> Iterator[tuple[int, Any]]:
    """Every value in `data` with its depth, iteratively (no recursion limit)."""
    stack: list[tuple[int, Any]] = [(0, data)]
    while stack:
        depth, value = stack.pop()
        yield depth, value
        if isinstance(value, dict):
            stack.extend((depth + 1, item) for item in value.values())
        elif isinstance(value, list):
            stack.extend((depth + 1, item) for item in value)
