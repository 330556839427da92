"""The classification of changes, version bumps and lifecycle steps, as tables."""

from __future__ import annotations

from typing import Any

import pytest

from tagctl.catalog.versioning import (
    actual_bump,
    next_version,
    satisfies,
    transition_allowed,
)
from tagctl.changes.fields import compare

ENUM = [{"value": "oily"}, {"value": "dry"}]


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        ({"value_type": "boolean"}, {"value_type": "enum"}, [("value_type", "major")]),
        ({"window": "30d"}, {"window": "7d"}, [("window", "major")]),
        ({}, {"window": "7d"}, [("window", "major")]),
        ({"granularity": "user"}, {"granularity": "device"}, [("granularity", "major")]),
        ({"values": ENUM}, {"values": ENUM[:1]}, [("values", "major")]),
        ({"values": ENUM[:1]}, {"values": ENUM}, [("values", "minor")]),
        ({"values": ENUM}, {"values": ENUM[::-1]}, [("values", "patch")]),
        (
            {"values": ENUM},
            {"values": [{"value": "oily", "label": {"zh": "油性", "en": "Oily"}}, ENUM[1]]},
            [("values", "patch")],
        ),
        ({"range": {"min": 0, "max": 9}}, {"range": {"min": 1, "max": 9}}, [("range", "major")]),
        ({"range": {"min": 0, "max": 9}}, {"range": {"min": 0, "max": 8}}, [("range", "major")]),
        ({}, {"range": {"max": 9}}, [("range", "major")]),
        ({"range": {"min": 0, "max": 9}}, {"range": {"min": 0}}, [("range", "minor")]),
        ({"range": {"min": 0, "max": 9}}, {"range": {"min": -1, "max": 10}}, [("range", "minor")]),
        ({"logic": "a"}, {"logic": "b"}, [("logic", "minor")]),
        ({"depends_on": []}, {"depends_on": ["x"]}, [("depends_on", "minor")]),
        ({"status": "online"}, {"status": "deprecated"}, [("status", "minor")]),
        ({"description": "a"}, {"description": "b"}, [("description", "patch")]),
        ({"owners": {"data": "a"}}, {"owners": {"data": "b"}}, [("owners", "patch")]),
        ({"display_name": {"en": "a"}}, {"display_name": {"en": "b"}}, [("display_name", "patch")]),
        ({"version": "1.0.0"}, {"version": "1.0.1"}, [("version", "none")]),
        ({"changelog": []}, {"changelog": [{}]}, [("changelog", "none")]),
        ({"future_key": 1}, {"future_key": 2}, [("future_key", "minor")]),
    ],
)
def test_field_levels(
    before: dict[str, Any], after: dict[str, Any], expected: list[tuple[str, str]]
) -> None:
    assert [(change.field, change.level) for change in compare(before, after)] == expected


def test_values_removed_and_added_are_two_changes() -> None:
    changes = compare({"values": ENUM}, {"values": [ENUM[0], {"value": "normal"}]})
    assert [(c.level, c.detail) for c in changes] == [
        ("major", "removed: dry"),
        ("minor", "added: normal"),
    ]


@pytest.mark.parametrize(
    ("before", "after", "bump"),
    [
        ("1.2.0", "1.2.0", "none"),
        ("1.2.0", "1.2.1", "patch"),
        ("1.2.0", "1.3.0", "minor"),
        ("1.2.9", "2.0.0", "major"),
        ("1.2.0", "1.1.9", "down"),
        ("1.2.0-rc.1", "1.2.0", "patch"),
        ("1.2.0", "1.2.0-rc.1", "down"),
        ("1.2.0-rc.2", "1.2.0-rc.10", "patch"),
        ("1.2.0+build.1", "1.2.0+build.2", "none"),
        ("1.2", "1.3.0", None),
    ],
)
def test_actual_bump(before: str, after: str, bump: str | None) -> None:
    assert actual_bump(before, after) == bump


@pytest.mark.parametrize(
    ("bump", "required", "before", "ok"),
    [
        ("major", "major", "1.0.0", True),
        ("minor", "major", "1.0.0", False),
        ("minor", "major", "0.4.0", True),
        ("patch", "major", "0.4.0", False),
        ("patch", "minor", "1.0.0", False),
        ("major", "patch", "1.0.0", True),
        ("none", "patch", "1.0.0", False),
        ("down", "patch", "1.0.0", False),
        ("none", "none", "1.0.0", True),
    ],
)
def test_satisfies(bump: Any, required: Any, before: str, ok: bool) -> None:
    assert satisfies(bump, required, before) is ok


def test_next_version() -> None:
    assert next_version("1.2.3", "major") == "2.0.0"
    assert next_version("0.2.3", "major") == "0.3.0"
    assert next_version("1.2.3", "minor") == "1.3.0"
    assert next_version("1.2.3", "patch") == "1.2.4"
    assert next_version("x", "patch") is None


STATUSES = ["draft", "development", "testing", "online", "deprecated", "retired"]
ALLOWED_STEPS = {
    ("draft", "development"),
    ("development", "draft"),
    ("development", "testing"),
    ("testing", "development"),
    ("testing", "online"),
    ("online", "deprecated"),
    ("deprecated", "online"),
    ("deprecated", "retired"),
}


@pytest.mark.parametrize("before", STATUSES)
@pytest.mark.parametrize("after", STATUSES)
def test_transition_table(before: str, after: str) -> None:
    expected = before == after or (before, after) in ALLOWED_STEPS
    assert transition_allowed(before, after) is expected
