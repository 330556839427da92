"""Golden files: a tag file before and after one rule's fix, compared byte for byte.

`changelog-*` are fixed by TG415, `keyorder-*` by TG010: the rule describes
the fix, the editor carries it out (`tagctl.edit.fixes.apply_fix`). The
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

from tagctl.catalog.config import load_catalog_config
from tagctl.catalog.reader import parse_into
from tagctl.catalog.source import Source
from tagctl.edit.fixes import Applied, apply_fix
from tagctl.edit.scalars import load_text
from tagctl.rulekit import Fix, FixContext, LintContext, NoFix, Rule, TagFile
from tagctl.rules.tg010_key_order import CANONICAL_ORDER, KeyOrder
from tagctl.rules.tg415_changelog_version import ChangelogVersion
from tagctl.rules.tg504_placeholder import Placeholder

GOLDEN = Path(__file__).parent / "golden"
SAMPLE_CATALOG = Path(__file__).parents[2] / "tag-catalog"
TODAY = dt.date(2026, 11, 23)
CASES = cases(GOLDEN)


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


def fixed(case: str, text: str) -> Applied | NoFix | None:
    wanted = rule_for(case).fix(tag_file(text), context())
    return apply_fix(text, wanted) if isinstance(wanted, Fix) else wanted


def test_there_are_enough_styles() -> None:
    assert sum(case.startswith("changelog-") for case in CASES) >= 5
    assert sum(case.startswith("keyorder-") for case in CASES) >= 5


@pytest.mark.parametrize("case", CASES)
def test_fix_matches_golden_file(case: str) -> None:
    outcome = fixed(case, text_before(GOLDEN, case))
    assert isinstance(outcome, Applied), outcome
    assert_matches(GOLDEN, case, outcome.text)


@pytest.mark.parametrize("case", CASES)
def test_second_fix_finds_nothing_to_do(case: str) -> None:
    assert fixed(case, text_after(GOLDEN, case)) is None


@pytest.mark.parametrize("case", CASES)
def test_result_is_a_valid_tag(case: str) -> None:
    assert_valid_tag(GOLDEN, case)


@pytest.mark.parametrize("case", CASES)
def test_line_endings_bom_and_final_newline_are_kept(case: str) -> None:
    assert_layout_kept(GOLDEN, case)


@pytest.mark.parametrize("case", [c for c in CASES if c.startswith("keyorder-")])
def test_key_order_only_moves_lines(case: str) -> None:
    before, after = text_before(GOLDEN, case), text_after(GOLDEN, case)
    assert sorted(_lines(before)) == sorted(_lines(after))
    assert load_text(after) == load_text(before)
    keys = list(load_text(after))
    assert keys == sorted(keys, key=CANONICAL_ORDER.index)


@pytest.mark.parametrize("case", [c for c in CASES if c.startswith("changelog-")])
def test_changelog_fix_adds_one_entry_with_a_placeholder(case: str) -> None:
    before = load_text(text_before(GOLDEN, case))
    after = load_text(text_after(GOLDEN, case))
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
