"""Schema errors worded from jsonschema-rs are those of the reference `jsonschema`.

`Checker.errors` words each error of the fast validator itself; the
reference implementation (`schema.explain`) is what it must equal, message
for message and in the same order, on every tag document of the repository
and on thousands of damaged copies of them.
"""

from __future__ import annotations

import copy
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tagctl.catalog import schema as schema_module
from tagctl.catalog.reader import parse_into
from tagctl.catalog.schema import Checker, explain
from tagctl.catalog.source import Source

ROOT = Path(__file__).resolve().parents[1]
ODD_VALUES = [
    None, True, 0, -1, 1.5, "", "x", "TODO", "2026-02-30", "1.0", "a" * 300, "x" * 129,
    [], [1, 1], ["a", "a"], [{}], [None], {}, {"zz": 1}, 10**20, "secret", "7d", "0d",
]  # fmt: skip


def _documents() -> list[dict[str, Any]]:
    folders = [ROOT / "tag-catalog", ROOT / "tests" / "data", ROOT / "tagctl" / "scaffold"]
    found = []
    for path in (p for folder in folders for p in sorted(folder.rglob("*.y*ml"))):
        source = Source(path, raw=path.read_bytes())
        parse_into(source)
        if source.ok and isinstance(source.data, dict) and "name" in source.data:
            found.append(source.data)
    return found


def _places(data: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _places(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _places(value, (*prefix, index))


def _damaged(document: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """A copy with one to four values replaced, fields removed or unknown fields added."""
    document = copy.deepcopy(document)
    for _ in range(rng.randint(1, 4)):
        place = rng.choice([p for p in _places(document) if p])
        parent = document
        for step in place[:-1]:
            parent = parent[step]
        roll = rng.random()
        if roll < 0.2 and isinstance(parent, dict):
            del parent[place[-1]]
        elif roll < 0.3 and isinstance(parent, dict):
            parent[f"extra_{rng.randint(0, 3)}"] = 1
        else:
            parent[place[-1]] = copy.deepcopy(rng.choice(ODD_VALUES))
    return document


def _reference(document: Any) -> list[Any]:
    return list(explain("tag", document))


def test_damaged_documents_are_explained_as_the_reference_does() -> None:
    checker, rng = Checker("tag"), random.Random(18)
    documents = _documents()
    assert len(documents) > 100
    worded, keywords = 0, set()
    for document in documents:
        for attempt in range(12):
            damaged = _damaged(document, rng) if attempt else document
            errors = checker.errors(damaged)
            reference = _reference(damaged) if errors or not _valid(checker, damaged) else []
            assert errors == reference, damaged
            worded += bool(errors)
            keywords.update(error.keyword for error in errors)
    assert worded > 1000
    # every keyword the tag schema uses was met, so each wording was compared
    assert keywords >= {
        "required", "additionalProperties", "type", "enum", "pattern", "format",
        "minLength", "maxLength", "minItems", "minProperties", "uniqueItems",
    }  # fmt: skip


def _valid(checker: Checker, document: Any) -> bool:
    try:
        return bool(checker._fast.is_valid(document))
    except Exception:
        return False


@pytest.mark.parametrize(
    ("keyword", "value", "bound", "expected"),
    [
        ("minLength", "", 1, "'' should be non-empty"),
        ("minLength", "a", 2, "'a' is too short"),
        ("maxLength", "ab", 0, "'ab' is expected to be empty"),
        ("maxItems", [1, 2], 1, "[1, 2] is too long"),
        ("maxItems", [1], 0, "[1] is expected to be empty"),
        ("minItems", [], 1, "[] should be non-empty"),
        ("minItems", [1], 2, "[1] is too short"),
        ("maxLength", "abc", 2, "'abc' is too long"),
        ("minProperties", {}, 1, "{} should be non-empty"),
        ("minProperties", {"a": 1}, 2, "{'a': 1} does not have enough properties"),
        ("minimum", -1, 0, "-1 is less than the minimum of 0"),
        ("exclusiveMinimum", 0, 0, "0 is less than or equal to the minimum of 0"),
        ("maximum", 2, 1, "2 is greater than the maximum of 1"),
        ("exclusiveMaximum", 1, 1, "1 is greater than or equal to the maximum of 1"),
        ("const", "b", "a", "'a' was expected"),
    ],
)
def test_each_wording_is_the_references(
    keyword: str, value: Any, bound: Any, expected: str
) -> None:
    (error,) = jsonschema.Draft202012Validator({keyword: bound}).iter_errors(value)
    assert error.message == expected
    assert schema_module._WORDS[keyword](value, bound) == expected


def test_config_schema_keywords_not_worded_fall_back_to_the_reference() -> None:
    checker = Checker("config")
    document = {"categories": "not a mapping", "naming": {"unknown": 1}}
    assert checker.errors(document) == list(explain("config", document))
    assert checker.errors(document)
