"""Fixing files of a catalog: which side of a file-name mismatch is fixed, and when nothing is.

Each test edits a copy of the sample catalog, lints it, plans the fixes,
writes them, and looks at the files on disk.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tagctl.catalog.config import load_catalog_config
from tagctl.fix.run import Fixer, FixReport, write
from tagctl.lint.engine import LintRequest, lint
from tagctl.rulekit import Fix, SetValue
from tagctl.rules.tg010_key_order import KeyOrder

TODAY = dt.date(2026, 11, 23)
BEHAVIOR = Path("tags/behavior")


def fix(catalog: Path) -> FixReport:
    """Lint `catalog`, fix what can be fixed, write it; the report."""
    result = lint(LintRequest(catalog=catalog, today=TODAY, cache=False))
    report = Fixer(load_catalog_config(catalog), TODAY).plan(result.violations)
    write(report)
    return report


def codes(catalog: Path) -> set[tuple[str, str]]:
    result = lint(LintRequest(catalog=catalog, today=TODAY, cache=False))
    return {(v.rel, v.code) for v in result.violations}


def snapshot(catalog: Path) -> dict[str, bytes]:
    return {
        path.relative_to(catalog).as_posix(): path.read_bytes()
        for path in sorted((catalog / "tags").rglob("*.yaml"))
    }


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def left(report: FixReport) -> list[str]:
    return [f"{note.code} {note.text}" for note in report.left]


# --- TG005: the file name and `name` disagree


def test_file_renamed_when_only_the_name_is_right(sample_catalog: Path) -> None:
    old = sample_catalog / BEHAVIOR / "visit_stor_7d.yaml"
    (sample_catalog / BEHAVIOR / "visit_store_7d.yaml").rename(old)
    text = old.read_bytes()
    report = fix(sample_catalog)
    assert [note.text for note in report.notes] == ["renamed the file to visit_store_7d.yaml"]
    assert not old.exists()
    assert (sample_catalog / BEHAVIOR / "visit_store_7d.yaml").read_bytes() == text
    assert fix(sample_catalog).fixes == []


def test_name_set_when_only_the_file_name_is_right(sample_catalog: Path) -> None:
    path = sample_catalog / BEHAVIOR / "visit_app_30d.yaml"
    before = path.read_text(encoding="utf-8")
    replace_in(path, "name: visit_app_30d", "name: Visit-App-30d")
    report = fix(sample_catalog)
    assert [note.text for note in report.notes] == ["set name: visit_app_30d (the file's name)"]
    assert path.read_text(encoding="utf-8") == before
    assert fix(sample_catalog).fixes == []


def test_no_fix_when_both_names_pass(sample_catalog: Path) -> None:
    path = sample_catalog / BEHAVIOR / "visit_app_30d.yaml"
    replace_in(path, "name: visit_app_30d", "name: open_app_30d")
    files = snapshot(sample_catalog)
    report = fix(sample_catalog)
    assert report.fixes == []
    assert left(report) == [
        "TG005 both 'visit_app_30d' and 'open_app_30d' pass the naming rules; choose by hand"
    ]
    assert snapshot(sample_catalog) == files


def test_no_fix_when_neither_name_passes(sample_catalog: Path) -> None:
    path = sample_catalog / BEHAVIOR / "visit_app_30d.yaml"
    replace_in(path, "name: visit_app_30d", "name: visit_aap_30d")
    path.rename(path.with_name("visit_ap_30d.yaml"))
    files = snapshot(sample_catalog)
    report = fix(sample_catalog)
    assert [note.text for note in report.left if note.code == "TG005"] == [
        "neither 'visit_ap_30d' nor 'visit_aap_30d' passes the naming rules; choose by hand"
    ]
    assert snapshot(sample_catalog) == files


def test_no_rename_onto_another_tags_name(sample_catalog: Path) -> None:
    original = sample_catalog / BEHAVIOR / "visit_store_7d.yaml"
    copy = original.with_name("visit_stor_7d.yaml")
    copy.write_bytes(original.read_bytes())
    files = snapshot(sample_catalog)
    report = fix(sample_catalog)
    assert report.fixes == []
    assert [note.text for note in report.left if note.code == "TG005"] == [
        f"another tag is named 'visit_store_7d' already ({original})"
    ]
    assert snapshot(sample_catalog) == files


def test_no_rename_onto_an_existing_file(sample_catalog: Path) -> None:
    target = sample_catalog / BEHAVIOR / "visit_store_7d.yaml"
    source = target.with_name("visit_stor_7d.yaml")
    source.write_bytes(target.read_bytes())
    replace_in(target, "name: visit_store_7d", "name: visit_stor_7d")  # the two swap names
    files = snapshot(sample_catalog)
    report = fix(sample_catalog)
    reasons = {note.text for note in report.left if note.code == "TG005"}
    assert "visit_store_7d.yaml exists already" in reasons
    assert snapshot(sample_catalog) == files


def test_no_new_name_while_other_tags_refer_to_the_old_one(sample_catalog: Path) -> None:
    path = sample_catalog / BEHAVIOR / "visit_app_30d.yaml"
    replace_in(path, "name: visit_app_30d", "name: visit_ap_30d")
    churn = sample_catalog / "tags/prediction/churn_risk_7d.yaml"
    replace_in(churn, "depends_on:\n", "depends_on:\n  - visit_ap_30d\n")
    files = snapshot(sample_catalog)
    report = fix(sample_catalog)
    assert [note.text for note in report.left if note.code == "TG005"] == [
        "'visit_ap_30d' is referred to by churn_risk_7d; rename by hand"
    ]
    assert snapshot(sample_catalog) == files


# --- what is never fixed, and what re-validation refuses


def test_files_with_yaml_errors_are_not_fixed(sample_catalog: Path) -> None:
    path = sample_catalog / BEHAVIOR / "visit_store_7d.yaml"
    broken = path.with_name("visit_stor_7d.yaml")
    path.rename(broken)
    broken.write_text(broken.read_text(encoding="utf-8") + "oops: [\n", encoding="utf-8")
    files = snapshot(sample_catalog)
    report = fix(sample_catalog)
    assert report.fixes == []
    assert snapshot(sample_catalog) == files


def test_a_fix_that_would_bring_an_error_is_refused(
    sample_catalog: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = sample_catalog / "tagctl.yaml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("  rules:\n", "  rules:\n    TG010: warning\n")
    )
    path = sample_catalog / BEHAVIOR / "visit_app_30d.yaml"
    replace_in(path, "version: 1.0.0\n", "")
    replace_in(path, "refresh: daily\n", "refresh: daily\nversion: 1.0.0\n")

    def breaking(self: KeyOrder, *_: object) -> Fix:
        return Fix("broke the version", (SetValue(("version",), "one"),))

    monkeypatch.setattr(KeyOrder, "fix", breaking)
    files = snapshot(sample_catalog)
    report = fix(sample_catalog)
    assert report.fixes == []
    [note] = report.left
    assert note.code == "TG010"
    assert note.text.startswith("the result would not pass lint:")
    assert "(TG105)" in note.text
    assert snapshot(sample_catalog) == files


def test_the_placeholder_of_a_changelog_fix_is_allowed_and_reported(sample_catalog: Path) -> None:
    path = sample_catalog / BEHAVIOR / "view_live_30d.yaml"
    replace_in(path, "version: 1.1.0", "version: 1.2.0")
    report = fix(sample_catalog)
    assert [note.code for note in report.notes] == ["TG415"]
    entry = '{version: 1.2.0, date: 2026-11-23, change: "TODO: say what changed in 1.2.0"}'
    assert path.read_text(encoding="utf-8").endswith(f"  - {entry}\n")
    rel = (BEHAVIOR / "view_live_30d.yaml").as_posix()
    assert (rel, "TG504") in codes(sample_catalog)
    assert (rel, "TG415") not in codes(sample_catalog)
    assert fix(sample_catalog).fixes == []


def test_several_fixes_in_one_file(sample_catalog: Path) -> None:
    config = sample_catalog / "tagctl.yaml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("  rules:\n", "  rules:\n    TG010: warning\n")
    )
    old = sample_catalog / BEHAVIOR / "visit_stor_7d.yaml"
    (sample_catalog / BEHAVIOR / "visit_store_7d.yaml").rename(old)
    replace_in(old, "version: 1.1.0\n", "")
    replace_in(old, "refresh: daily\n", "refresh: daily\nversion: 1.2.0\n")
    report = fix(sample_catalog)
    assert sorted(note.code for note in report.notes) == ["TG005", "TG010", "TG415"]
    new = sample_catalog / BEHAVIOR / "visit_store_7d.yaml"
    assert new.exists() and not old.exists()
    assert fix(sample_catalog).fixes == []
    remaining = {code for rel, code in codes(sample_catalog) if rel.endswith("visit_store_7d.yaml")}
    assert remaining == {"TG504"}
