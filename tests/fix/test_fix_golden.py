"""Golden files: a tag file before and after one rule's fix, compared byte for byte.

`golden/<fix>-<style>.before.yaml` is a tag written in one style (flow or
block changelog, comments, 4 spaces, CRLF, a byte order mark, no final
newline...); the `.after.yaml` next to it is the exact text the fix must
produce. `changelog-*` are fixed by TG415, `keyorder-*` by TG010. Run with
UPDATE_GOLDEN=1 to rewrite the after files, then read the diff before
committing it.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from tagctl.catalog.config import load_catalog_config
from tagctl.catalog.reader import parse_into
from tagctl.catalog.schema import Checker
from tagctl.catalog.source import Source
from tagctl.edit.scalars import load_text
from tagctl.fix.context import FixContext
from tagctl.lint.context import LintContext, TagFile
from tagctl.rules.base import Fix, NoFix, Rule
from tagctl.rules.tg010_key_order import CANONICAL_ORDER, KeyOrder
from tagctl.rules.tg415_changelog_version import ChangelogVersion
from tagctl.rules.tg504_placeholder import Placeholder

GOLDEN = Path(__file__).parent / "golden"
SAMPLE_CATALOG = Path(__file__).parents[2] / "tag-catalog"
TODAY = dt.date(2026, 11, 23)
CASES = sorted(path.name.removesuffix(".before.yaml") for path in GOLDEN.glob("*.before.yaml"))


def read(path: Path) -> str:
    return path.read_bytes().decode("utf-8")


def tag_file(text: str) -> TagFile:
    source = Source(Path("tags/behavior/golden.yaml"), raw=text.encode("utf-8"))
    parse_into(source)
    return TagFile(source, "tags/behavior/golden.yaml")


def rule_for(case: str) -> Rule:
    if case.startswith("keyorder-"):
        return KeyOrder()
    return ChangelogVersion(ChangelogVersion.Options(required=case.endswith("-required-none")))


def context() -> FixContext:
    config = load_catalog_config(SAMPLE_CATALOG)
    return FixContext(LintContext(config, TODAY), {"TG504": Placeholder()})


def fixed(case: str, text: str) -> Fix | NoFix | None:
    return rule_for(case).fix(text, tag_file(text), context())


def test_there_are_enough_styles() -> None:
    assert sum(case.startswith("changelog-") for case in CASES) >= 5
    assert sum(case.startswith("keyorder-") for case in CASES) >= 5


@pytest.mark.parametrize("case", CASES)
def test_fix_matches_golden_file(case: str) -> None:
    before = read(GOLDEN / f"{case}.before.yaml")
    outcome = fixed(case, before)
    assert isinstance(outcome, Fix) and outcome.text is not None, outcome
    expected_path = GOLDEN / f"{case}.after.yaml"
    if os.environ.get("UPDATE_GOLDEN"):
        expected_path.write_bytes(outcome.text.encode("utf-8"))
    assert outcome.text == read(expected_path)


@pytest.mark.parametrize("case", CASES)
def test_second_fix_finds_nothing_to_do(case: str) -> None:
    assert fixed(case, read(GOLDEN / f"{case}.after.yaml")) is None


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


@pytest.mark.parametrize("case", [c for c in CASES if c.startswith("keyorder-")])
def test_key_order_only_moves_lines(case: str) -> None:
    before, after = read(GOLDEN / f"{case}.before.yaml"), read(GOLDEN / f"{case}.after.yaml")
    assert sorted(_lines(before)) == sorted(_lines(after))
    assert load_text(after) == load_text(before)
    keys = list(load_text(after))
    assert keys == sorted(keys, key=CANONICAL_ORDER.index)


@pytest.mark.parametrize("case", [c for c in CASES if c.startswith("changelog-")])
def test_changelog_fix_adds_one_entry_with_a_placeholder(case: str) -> None:
    before = load_text(read(GOLDEN / f"{case}.before.yaml"))
    after = load_text(read(GOLDEN / f"{case}.after.yaml"))
    old, new = before.get("changelog") or [], after["changelog"]
    added = [entry for entry in new if entry not in old]
    assert len(new) == len(old) + 1
    assert added == [
        {
            "version": before["version"],
            "date": TODAY.isoformat(),
            "change": f"TODO: say what changed in {before['version']}",
        }
    ]
    assert {key: value for key, value in after.items() if key != "changelog"} == {
        key: value for key, value in before.items() if key != "changelog"
    }


def _lines(text: str) -> list[str]:
    return [line.removesuffix("\r") for line in text.removeprefix("\ufeff").split("\n")]
