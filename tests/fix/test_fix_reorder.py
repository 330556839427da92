"""Moving top-level entries: what moves with a key, and the files left alone."""

from __future__ import annotations

import pytest

from tagctl.edit.reorder import ReorderError, reorder
from tagctl.rules.tg010_key_order import canonical_order

ORDER = ("name", "version", "owners", "logic", "changelog")


def test_canonical_order_keeps_unknown_keys_last_in_their_order() -> None:
    keys = ["x_b", "version", "x_a", "name"]
    assert canonical_order(keys, ORDER) == ["name", "version", "x_b", "x_a"]


def test_in_order_text_comes_back_unchanged() -> None:
    text = "name: a\nversion: 1.0.0\n"
    assert reorder(text, ORDER) is text


def test_comments_right_above_a_key_move_with_it() -> None:
    text = (
        "# header\n"
        "version: 1.0.0\n"
        "# who to ask\n"
        "# (two lines)\n"
        "owners:\n"
        "  data: a@example.com\n"
        "  # inside owners\n"
        "name: a   # the name\n"
    )
    assert reorder(text, ORDER) == (
        "# header\n"
        "name: a   # the name\n"
        "version: 1.0.0\n"
        "# who to ask\n"
        "# (two lines)\n"
        "owners:\n"
        "  data: a@example.com\n"
        "  # inside owners\n"
    )


def test_blank_lines_above_an_entry_move_with_it() -> None:
    text = "logic: x\nversion: 1.0.0\n\n\nowners: {data: a@example.com}\nname: a\n"
    assert (
        reorder(text, ORDER)
        == "name: a\nversion: 1.0.0\n\n\nowners: {data: a@example.com}\nlogic: x\n"
    )


def test_the_entry_put_first_gives_its_blank_lines_to_the_one_it_displaces() -> None:
    text = "version: 1.0.0\n\nname: a\n"
    assert reorder(text, ORDER) == "name: a\n\nversion: 1.0.0\n"


def test_a_closing_comment_stays_at_the_end() -> None:
    text = "logic: SELECT 1\nname: a\n\n# end of file\n"
    assert reorder(text, ORDER) == "name: a\nlogic: SELECT 1\n\n# end of file\n"


def test_document_start_marker_stays_first() -> None:
    assert reorder("---\nversion: 1\nname: a\n", ORDER) == "---\nname: a\nversion: 1\n"


def test_a_block_scalar_without_final_newline_keeps_its_value() -> None:
    text = "logic: |\n  x\nname: a\nchangelog: |\n  y"
    assert reorder(text, ORDER) == "name: a\nlogic: |\n  x\nchangelog: |\n  y"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("{version: 1, name: a}\n", "flow mapping"),
        ("--- {version: 1, name: a}\n", "flow mapping"),
        ("logic: |+\n  x\n\nname: a\n", "would change a value"),
        ("version: 1\nname: a\nversion: 2\n", "appears twice"),
        ("version: 1\rname: a\r", "does not start its line"),
        ("[1, 2]\n", "not a YAML mapping"),
        ("name: [\n", "not readable"),
    ],
)
def test_files_that_are_left_alone(text: str, reason: str) -> None:
    with pytest.raises(ReorderError, match=reason):
        reorder(text, ORDER)
