"""The data-driven rule cases of tests/rules/cases/: their format, read and checked.

One file per rule, `TGNNN.yaml`:

    rule: TG204
    cases:
      - name: window disagrees
        tag: {window: 7d}          # overrides merged onto the base tag
        expect: ["11:9"]           # line:column of each TG204 violation, in order

A case writes one file (`tag`, `text`, `bytes_hex`, `bytes_b64`, `symlink` or
`fifo`, optionally at `file` and in an `encoding`), or several (`tags`: a list
of overrides; `files`: a list of such file entries). Overrides merge onto
`BASE_TAG` key by key; a null removes the key. A file goes to
`tags/<category>/<name>.yaml` of its tag (of the base tag for the other
kinds) unless `file` says where. `expect` is a list of positions for a single
file, or a mapping of file (relative to the catalog root; `tagctl.yaml` for
a problem of the catalog as a whole) to positions; files not named expect
nothing. `today`, `config` (merged into tagctl.yaml the same
way) and `schema` (merged into the tag schema) are optional.

`base` (a list of tag overrides, like `tags`) makes the case compare with
git: those tags are committed first, then replaced by the case's files, and
lint runs with `--against HEAD`. `expect` may then name a file that only
the base has (a removed tag).

Case files are read with the YAML 1.2 core schema, as tagctl reads tag
files: `2026-11-23` and `yes` stay strings, `010` is ten.
"""

from __future__ import annotations

import base64
import binascii
import copy
import datetime as dt
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

CASES_DIR = Path(__file__).parent / "cases"
DEFAULT_TODAY = dt.date(2026, 11, 23)

_POSITION = re.compile(r"[1-9][0-9]*:[1-9][0-9]*")
_CONTENT_KEYS = ("tag", "text", "bytes_hex", "bytes_b64", "symlink", "fifo")
_FILE_KEYS = frozenset({*_CONTENT_KEYS, "file", "encoding"})
_CASE_KEYS = frozenset(
    {*_FILE_KEYS, "name", "expect", "tags", "files", "today", "config", "schema", "base"}
)

_CORE_SCHEMA: tuple[tuple[str, str, str], ...] = (
    # (tag, regular expression, possible first characters); "" stands for the empty scalar
    ("null", r"~|null|Null|NULL|", "~nN"),
    ("bool", r"true|True|TRUE|false|False|FALSE", "tTfF"),
    ("int", r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+", "-+0123456789"),
    (
        "float",
        r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)",
        "-+.0123456789",
    ),
)


def use_core_schema(cls: type[yaml.resolver.BaseResolver]) -> None:
    """Make `cls` resolve plain scalars by the YAML 1.2 core schema, as tagctl does."""
    cls.yaml_implicit_resolvers = {}
    for tag, pattern, first in _CORE_SCHEMA:
        starts = [*first, ""] if tag == "null" else list(first)
        cls.add_implicit_resolver(
            f"tag:yaml.org,2002:{tag}", re.compile(f"^(?:{pattern})$"), starts
        )


# libyaml's parser when PyYAML has it: case files are read at every collection.
class _CaseLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    def construct_core_int(self, node: yaml.ScalarNode) -> int:
        text = str(self.construct_scalar(node))
        for prefix, base in (("0o", 8), ("0x", 16)):
            if text.startswith(prefix):
                return int(text[2:], base)
        return int(text, 10)


use_core_schema(_CaseLoader)
_CaseLoader.add_constructor("tag:yaml.org,2002:int", _CaseLoader.construct_core_int)


class CaseError(Exception):
    """A case file that does not follow the format above."""


BASE_TAG: dict[str, Any] = {
    "name": "visit_product_30d",
    "version": "1.2.0",
    "display_name": {"zh": "近30天浏览商品", "en": "Viewed a product in the last 30 days"},
    "description": "The customer opened a product page in the app in the last 30 days.",
    "type": "rule",
    "category": "behavior",
    "status": "online",
    "value_type": "boolean",
    "window": "30d",
    "refresh": "daily",
    "tier": "core",
    "sensitivity": "internal",
    "owners": {"business": "li.na@example.com", "data": "wang.wei@example.com"},
    "source": {"system": "cdp", "tables": ["dwd.app_events"]},
    "logic": (
        "SELECT user_id, true AS tag_value\n"
        "FROM dwd.app_events\n"
        "WHERE event_name = 'product_view'\n"
        "  AND event_time >= current_date - INTERVAL 30 DAY\n"
        "GROUP BY user_id\n"
    ),
    "changelog": [{"version": "1.2.0", "date": "2026-10-01", "change": "First definition."}],
}


def merge(base: Mapping[str, Any], overrides: Mapping[str, Any]) -> dict[str, Any]:
    """`overrides` on `base`: mappings merge key by key, None removes, the rest replaces."""
    result = copy.deepcopy(dict(base))
    for key, value in overrides.items():
        if value is None:
            result.pop(key, None)
        elif isinstance(value, Mapping) and isinstance(result.get(key), Mapping):
            result[key] = merge(result[key], value)
        else:
            result[key] = copy.deepcopy(value)
    return result


def default_file(tag: Mapping[str, Any]) -> str:
    """`tags/<category>/<name>.yaml`, taking what is not a usable string from the base tag."""

    def part(key: str) -> str:
        value = tag.get(key)
        if isinstance(value, str) and value and "/" not in value:
            return value
        return str(BASE_TAG[key])

    return f"tags/{part('category')}/{part('name')}.yaml"


@dataclass(frozen=True)
class FileSpec:
    """One entry written into the test catalog."""

    file: str  # relative to the catalog root
    tag: Mapping[str, Any] | None = None  # the complete tag: the base with the overrides
    text: str | None = None
    raw: bytes | None = None  # from bytes_hex or bytes_b64
    symlink: str | None = None  # the link's target, as written
    fifo: bool = False
    encoding: str = "utf-8"  # of `tag` or `text`; utf-8-sig adds a byte-order mark


@dataclass(frozen=True)
class Case:
    """One case: the files to write, the run's settings and the expected positions."""

    rule: str
    name: str
    files: tuple[FileSpec, ...]
    expect: Mapping[str, tuple[str, ...]]  # file -> positions; files not named expect none
    today: dt.date = DEFAULT_TODAY
    config: Mapping[str, Any] | None = None
    schema: Mapping[str, Any] | None = None
    base: tuple[FileSpec, ...] | None = None  # committed first; lint runs --against HEAD

    @property
    def id(self) -> str:
        return f"{self.rule}-{self.name}"

    @property
    def passing(self) -> bool:
        """True when the rule must report nothing."""
        return not any(self.expect.values())


@dataclass(frozen=True)
class CaseFile:
    path: Path
    rule: str
    cases: tuple[Case, ...]


def case_paths() -> list[Path]:
    return sorted(CASES_DIR.glob("*.yaml"))


@functools.cache  # read once a process, by both modules that collect from it
def read_case_file(path: Path) -> CaseFile:
    with path.open(encoding="utf-8") as handle:
        document = yaml.load(handle, Loader=_CaseLoader)
    where = path.name
    _require(isinstance(document, dict), where, "the file is not a mapping")
    _require(set(document) == {"rule", "cases"}, where, "expected exactly the keys rule and cases")
    rule, cases = document["rule"], document["cases"]
    _require(isinstance(rule, str), where, "rule is not a string")
    _require(isinstance(cases, list) and bool(cases), where, "cases is not a non-empty list")
    parsed = tuple(
        _case(rule, item, f"{where}, case {index + 1}") for index, item in enumerate(cases)
    )
    names = [case.name for case in parsed]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    _require(not duplicates, where, f"case names used twice: {duplicates}")
    return CaseFile(path, rule, parsed)


def all_cases() -> list[Case]:
    return [case for path in case_paths() for case in read_case_file(path).cases]


def _case(rule: str, item: Any, where: str) -> Case:
    _require(isinstance(item, dict), where, "a case is a mapping")
    unknown = set(item) - _CASE_KEYS
    _require(not unknown, where, f"unknown keys {sorted(unknown)}")
    name = item.get("name")
    _require(isinstance(name, str) and bool(name), where, "name is missing")
    where = f"{where} ({name})"
    files = _files(item, where)
    base = None
    if "base" in item:
        base = tuple(_file({"tag": overrides}, where) for overrides in _list(item["base"], where))
    today = item.get("today", DEFAULT_TODAY.isoformat())
    _require(isinstance(today, str), where, "today is not a YYYY-MM-DD string")
    for key in ("config", "schema"):
        _require(isinstance(item.get(key, {}), dict), where, f"{key} is not a mapping")
    return Case(
        rule=rule,
        name=name,
        files=files,
        expect=_expect(item.get("expect"), files, where, base or ()),
        today=dt.date.fromisoformat(today),
        config=item.get("config"),
        schema=item.get("schema"),
        base=base,
    )


def _files(item: dict[str, Any], where: str) -> tuple[FileSpec, ...]:
    if "tags" in item or "files" in item:
        _require(not set(item) & _FILE_KEYS, where, "give tags/files or a single file, not both")
        _require(("tags" in item) != ("files" in item), where, "give tags or files, not both")
        if "tags" in item:
            entries = [{"tag": overrides} for overrides in _list(item["tags"], where)]
        else:
            entries = _list(item["files"], where)
        specs = tuple(_file(entry, where) for entry in entries)
    else:
        specs = (_file({k: v for k, v in item.items() if k in _FILE_KEYS}, where),)
    written = [spec.file for spec in specs]
    _require(len(written) == len(set(written)), where, f"two entries write the same file {written}")
    return specs


def _file(entry: Any, where: str) -> FileSpec:
    _require(isinstance(entry, dict), where, "a file entry is a mapping")
    unknown = set(entry) - _FILE_KEYS
    _require(not unknown, where, f"unknown file keys {sorted(unknown)}")
    content = [key for key in _CONTENT_KEYS if key in entry]
    _require(len(content) == 1, where, f"give exactly one of {', '.join(_CONTENT_KEYS)}")
    kind = content[0]
    value = entry[kind]
    expected_type = {"tag": dict, "fifo": bool}.get(kind, str)
    _require(isinstance(value, expected_type), where, f"{kind} is not a {expected_type.__name__}")
    _require(
        "encoding" not in entry or kind in ("tag", "text"), where, "encoding is for tag or text"
    )
    tag = merge(BASE_TAG, value) if kind == "tag" else None
    file = entry.get("file", default_file(tag or BASE_TAG))
    _require(isinstance(file, str) and bool(file), where, "file is not a path")
    return FileSpec(
        file=file,
        tag=tag,
        text=value if kind == "text" else None,
        raw=_decode_bytes(kind, value, where) if kind.startswith("bytes_") else None,
        symlink=value if kind == "symlink" else None,
        fifo=kind == "fifo",
        encoding=entry.get("encoding", "utf-8"),
    )


def _decode_bytes(kind: str, value: str, where: str) -> bytes:
    try:
        return bytes.fromhex(value) if kind == "bytes_hex" else base64.b64decode(value)
    except (ValueError, binascii.Error) as exc:
        raise CaseError(f"{where}: {kind} is not valid: {exc}") from exc


def _expect(
    value: Any, files: tuple[FileSpec, ...], where: str, base: tuple[FileSpec, ...] = ()
) -> dict[str, tuple[str, ...]]:
    if isinstance(value, list):
        _require(len(files) == 1 or not value, where, "several files: expect as a mapping")
        return {files[0].file: _positions(value, where)} if value else {}
    _require(isinstance(value, dict), where, "expect is a list of positions or a mapping")
    written = {spec.file for spec in files + base} | {"tagctl.yaml"}  # written for every case
    unknown = sorted(set(value) - written)
    _require(not unknown, where, f"expect names files the case does not write: {unknown}")
    return {file: _positions(_list(found, where), where) for file, found in value.items()}


def _positions(values: list[Any], where: str) -> tuple[str, ...]:
    for value in values:
        _require(
            isinstance(value, str) and bool(_POSITION.fullmatch(value)),
            where,
            f"{value!r} is not a line:column position",
        )
    return tuple(values)


def _list(value: Any, where: str) -> list[Any]:
    _require(isinstance(value, list), where, f"{value!r} is not a list")
    return list(value)


def _require(condition: bool, where: str, message: str) -> None:
    if not condition:
        raise CaseError(f"{where}: {message}")
