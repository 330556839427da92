"""The text-level edits of tagctl.edit: exact text in, exact text out."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tagctl.edit import EditError, get_value, insert_item, set_value
from tagctl.edit.scalars import load_text, plain_ok, project_reads, render_scalar
from tagctl.edit.tagtext import bump_minor

Edit = Callable[[str], str]


def put(path: tuple[str | int, ...], value: Any, before: tuple[str, ...] = ()) -> Edit:
    return lambda text: set_value(text, path, value, before=before)


def add(path: tuple[str | int, ...], item: Any, first: bool = False) -> Edit:
    return lambda text: insert_item(text, path, item, first=first)


CASES: list[tuple[str, str, Edit, str]] = [
    (
        "a new mapping among flow-mapping siblings is written in flow style",
        "categories:\n  a:    {zh: 甲, en: A}  # first\n  b: {zh: 乙, en: B}\nnaming: {}\n",
        put(("categories", "c"), {"zh": "丙", "en": "C"}),
        "categories:\n  a:    {zh: 甲, en: A}  # first\n  b: {zh: 乙, en: B}\n"
        "  c: {zh: 丙, en: C}\nnaming: {}\n",
    ),
    (
        "a new mapping among block siblings stays in block style",
        "owners:\n  a:\n    x: 1\n  b: {x: 2}\n",
        put(("owners", "c"), {"x": 3}),
        "owners:\n  a:\n    x: 1\n  b: {x: 2}\n  c:\n    x: 3\n",
    ),
    (
        "a trailing comment keeps its column",
        "status: online      # live\nx: 1\n",
        put(("status",), "deprecated"),
        "status: deprecated  # live\nx: 1\n",
    ),
    (
        "a comment with no room keeps its gap",
        "status: online # live\n",
        put(("status",), "deprecated"),
        "status: deprecated # live\n",
    ),
    (
        "a shorter value pads the gap",
        "status: deprecated  # was\n",
        put(("status",), "online"),
        "status: online      # was\n",
    ),
    (
        "double quotes stay",
        'version: "1.2.0"\n',
        put(("version",), "1.3.0"),
        'version: "1.3.0"\n',
    ),
    (
        "single quotes stay, doubled inside",
        "reason: 'old'\n",
        put(("reason",), "it's new"),
        "reason: 'it''s new'\n",
    ),
    (
        "plain becomes quoted only when it must",
        "a: x\n",
        put(("a",), "b: c # d"),
        'a: "b: c # d"\n',
    ),
    (
        "a number-like text is quoted",
        "a: x\n",
        put(("a",), "1.5"),
        'a: "1.5"\n',
    ),
    (
        "CRLF and no final newline",
        "a: 1\r\nb:\r\n  c: 2",
        put(("b", "d"), "e"),
        "a: 1\r\nb:\r\n  c: 2\r\n  d: e",
    ),
    (
        "a byte order mark stays",
        "\ufeffa: 1\nb: 2\n",
        put(("a",), 3),
        "\ufeffa: 3\nb: 2\n",
    ),
    (
        "a new key goes before the anchor and its comments",
        "a: 1\n# about z\nz: 2\n",
        put(("m",), {"k": "v"}, before=("z",)),
        "a: 1\nm:\n  k: v\n# about z\nz: 2\n",
    ),
    (
        "blank lines between sections are kept in the pattern",
        "a: 1\n\nz: 2\n",
        put(("m",), "v", before=("z",)),
        "a: 1\n\nm: v\n\nz: 2\n",
    ),
    (
        "the first key stays first",
        "z: 1\na: 2\n",
        put(("m",), "v", before=("z",)),
        "z: 1\na: 2\nm: v\n",
    ),
    (
        "four-space indentation is followed",
        "a:\n    b: 1\n",
        put(("c",), {"d": {"e": 1}}),
        "a:\n    b: 1\nc:\n    d:\n        e: 1\n",
    ),
    (
        "a mapping merges into a flow mapping, in order",
        "d: {a: 1, c: 3}\n",
        put(("d",), {"a": 1, "b": 2, "c": 3}),
        "d: {a: 1, b: 2, c: 3}\n",
    ),
    (
        "an empty value is filled after the colon",
        "a:   # soon\nb: 1\n",
        put(("a",), "x"),
        "a: x   # soon\nb: 1\n",
    ),
    (
        "an empty value becomes a block",
        "a:   # soon\nb: 1\n",
        put(("a",), {"x": 1}),
        "a:   # soon\n  x: 1\nb: 1\n",
    ),
    (
        "an empty parent becomes a mapping",
        "d:\nz: 1\n",
        put(("d", "k"), "v"),
        "d:\n  k: v\nz: 1\n",
    ),
    (
        "a folded scalar stays folded at its indentation",
        "r: >-   # why\n    old reason\n    here\nn: 1\n",
        put(("r",), "new reason"),
        "r: >-   # why\n    new reason\nn: 1\n",
    ),
    (
        "a literal scalar keeps its lines",
        "s: |\n  a\n  b\n\nn: 1\n",
        put(("s",), "a\nc\n"),
        "s: |\n  a\n  c\n\nn: 1\n",
    ),
]

ITEM_CASES: list[tuple[str, str, Edit, str]] = [
    (
        "a block list item like its neighbour",
        "l:\n-   k: 1\n    j: 'x'\n",
        add(("l",), {"j": "y", "k": 2}),
        "l:\n-   k: 1\n    j: 'x'\n-   k: 2\n    j: 'y'\n",
    ),
    (
        "a flow item after flow items",
        "l: [a, b]  # c\n",
        add(("l",), "c"),
        "l: [a, b, c]  # c\n",
    ),
    (
        "a first item in a block list",
        "l:\n  - 2\n  - 1\n",
        add(("l",), 3, first=True),
        "l:\n  - 3\n  - 2\n  - 1\n",
    ),
    (
        "a missing list is created at the end",
        "a: 1\n",
        add(("l",), {"v": 1}),
        "a: 1\nl:\n  - v: 1\n",
    ),
    (
        "plain items into an empty flow list stay flow",
        "l: []\n",
        add(("l",), "x"),
        "l: [x]\n",
    ),
]


def ids(cases: list[tuple[str, str, Edit, str]]) -> list[str]:
    return [case[0] for case in cases]


@pytest.mark.parametrize(
    ("text", "edit", "expected"), [c[1:] for c in CASES + ITEM_CASES], ids=ids(CASES + ITEM_CASES)
)
def test_edit(text: str, edit: Edit, expected: str) -> None:
    assert edit(text) == expected


@pytest.mark.parametrize(("text", "edit"), [c[1:3] for c in CASES], ids=ids(CASES))
def test_setting_twice_is_setting_once(text: str, edit: Edit) -> None:
    once = edit(text)
    assert edit(once) == once


def test_an_unchanged_value_returns_the_same_text() -> None:
    text = "a:  'x'   # c\n"
    assert set_value(text, ("a",), "x") is text


def test_get_value_reads_as_the_loader_does() -> None:
    text = "a: {b: [1, 2026-01-01]}\n"
    assert get_value(text, ("a", "b", 1)) == "2026-01-01"
    assert get_value(text, ("a", "c")) is None


def test_a_list_where_a_mapping_is_wanted_is_an_error() -> None:
    with pytest.raises(EditError):
        set_value("a: [1]\n", ("a", "b"), 1)
    with pytest.raises(EditError):
        insert_item("a: {b: 1}\n", ("a",), 1)


def test_text_that_is_not_yaml_is_an_error() -> None:
    with pytest.raises(EditError):
        set_value("a: [1\n", ("a",), 1)


@pytest.mark.parametrize(
    ("value", "flow", "plain"),
    [
        ("visit_store_30d", False, True),
        ("2027-03-01", False, True),
        ("1.3.0", True, True),
        ("yes", False, False),
        ("null", False, False),
        ("12", False, False),
        ("a, b", True, False),
        ("a, b", False, True),
        ("- x", False, False),
        ("x #y", False, False),
        (" x", False, False),
        ("", False, False),
    ],
)
def test_plain_only_when_read_back_the_same(value: str, flow: bool, plain: bool) -> None:
    assert plain_ok(value, flow) is plain


# Letters first, then word characters and `. @ / -`, single spaces: plain_ok answers
# these without reading them back; reading back must agree.
_WORDY = st.text(alphabet=st.sampled_from(list("aAeEnNyYtTfFoOrRuUlLsS0159_.@/- 值é")), max_size=6)


@given(_WORDY)
def test_plain_ok_agrees_with_reading_back(value: str) -> None:
    plain_ok.cache_clear()
    for flow in (False, True):
        written, wanted = (
            (f"k: [{value}]", {"k": [value]}) if flow else (f"k: {value}", {"k": value})
        )
        if plain_ok(value, flow):
            assert project_reads(written) == wanted and load_text(written) == wanted


def test_double_quotes_escape_what_yaml_needs() -> None:
    assert render_scalar('a"b\\c\n\u2028', None, '"') == '"a\\"b\\\\c\\n\\L"'
    assert render_scalar("tab\there", None, "'") == '"tab\\there"'
    assert render_scalar(True, None, '"') == "true"


@pytest.mark.parametrize(
    ("before", "after"), [("1.2.0", "1.3.0"), ("0.9.7", "0.10.0"), ("2.0.0-rc.1+b5", "2.1.0")]
)
def test_bump_minor(before: str, after: str) -> None:
    assert bump_minor(before) == after


def test_bump_of_a_bad_version_is_an_error() -> None:
    with pytest.raises(EditError, match="not a semantic version"):
        bump_minor("1.2")
