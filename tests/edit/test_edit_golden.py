"""Golden files: a tag file before and after `deprecate` or `retire`, compared byte for byte.

Each `golden/<op>-<style>.before.yaml` is a tag written in one style; the
harness and the way to update the files are in tests/goldenfiles.py.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from goldenfiles import (
    assert_layout_kept,
    assert_matches,
    assert_valid_tag,
    cases,
    text_after,
    text_before,
)

from tagctl.edit.tagtext import Deprecation, deprecate_text, retire_text

GOLDEN = Path(__file__).parent / "golden"
TODAY = dt.date(2026, 11, 23)
DEPRECATION = Deprecation(
    reason="Too sparse: use visit_store_30d",
    by="li.na@example.com",
    replaced_by="visit_store_30d",
    sunset=dt.date(2027, 3, 1),
)
CASES = cases(GOLDEN)


def edit(case: str, text: str) -> str:
    if case.startswith("retire-"):
        return retire_text(text, TODAY).text
    return deprecate_text(text, DEPRECATION, TODAY).text


def test_there_are_enough_styles() -> None:
    assert len(CASES) >= 15


@pytest.mark.parametrize("case", CASES)
def test_edit_matches_golden_file(case: str) -> None:
    assert_matches(GOLDEN, case, edit(case, text_before(GOLDEN, case)))


@pytest.mark.parametrize("case", CASES)
def test_second_edit_changes_nothing(case: str) -> None:
    once = text_after(GOLDEN, case)
    assert edit(case, once) == once


@pytest.mark.parametrize("case", CASES)
def test_result_is_a_valid_tag(case: str) -> None:
    assert_valid_tag(GOLDEN, case)


@pytest.mark.parametrize("case", CASES)
def test_line_endings_bom_and_final_newline_are_kept(case: str) -> None:
    assert_layout_kept(GOLDEN, case)
