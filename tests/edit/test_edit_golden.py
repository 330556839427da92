"""Golden files: a tag file before and after `deprecate` or `retire`, compared byte for byte.

Each `golden/<op>-<style>.before.yaml` is a tag written in one style (flow or
block, 2 or 4 spaces, comments, quoting, CRLF, a byte order mark...); the
`.after.yaml` next to it is the exact text the edit must produce. Run with
UPDATE_GOLDEN=1 to rewrite the after files, then read the diff before
committing it.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from tagctl.catalog.schema import Checker
from tagctl.edit.scalars import load_text
from tagctl.edit.tagtext import Deprecation, deprecate_text, retire_text

GOLDEN = Path(__file__).parent / "golden"
TODAY = dt.date(2026, 11, 23)
DEPRECATION = Deprecation(
    reason="Too sparse: use visit_store_30d",
    by="li.na@example.com",
    replaced_by="visit_store_30d",
    sunset=dt.date(2027, 3, 1),
)
CASES = sorted(path.name.removesuffix(".before.yaml") for path in GOLDEN.glob("*.before.yaml"))


def edit(case: str, text: str) -> str:
    if case.startswith("retire-"):
        return retire_text(text, TODAY).text
    return deprecate_text(text, DEPRECATION, TODAY).text


def read(path: Path) -> str:
    return path.read_bytes().decode("utf-8")


def test_there_are_enough_styles() -> None:
    assert len(CASES) >= 15


@pytest.mark.parametrize("case", CASES)
def test_edit_matches_golden_file(case: str) -> None:
    before = read(GOLDEN / f"{case}.before.yaml")
    after = edit(case, before)
    expected_path = GOLDEN / f"{case}.after.yaml"
    if os.environ.get("UPDATE_GOLDEN"):
        expected_path.write_bytes(after.encode("utf-8"))
    assert after == read(expected_path)


@pytest.mark.parametrize("case", CASES)
def test_second_edit_changes_nothing(case: str) -> None:
    once = read(GOLDEN / f"{case}.after.yaml")
    assert edit(case, once) == once


@pytest.mark.parametrize("case", CASES)
def test_result_is_a_valid_tag(case: str) -> None:
    data = load_text(read(GOLDEN / f"{case}.after.yaml"))
    assert Checker("tag").errors(data) == []


@pytest.mark.parametrize("case", CASES)
def test_line_endings_bom_and_final_newline_are_kept(case: str) -> None:
    before, after = read(GOLDEN / f"{case}.before.yaml"), read(GOLDEN / f"{case}.after.yaml")
    assert after.startswith("\ufeff") == before.startswith("\ufeff")
    assert after.endswith("\n") == before.endswith("\n")
    crlf = "\r\n" in before
    assert after.count("\n") == (after.count("\r\n") if crlf else after.count("\n"))
    assert ("\r" in after) == crlf
