"""`tagctl cleanup`: the review sheet of the cold tags of the last saved KPI run.

The small warehouse of the `tagctl kpi` tests has two measured tags; an
overlay config makes the cold rule generous enough that it names them.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tagctl.edit.review import read_review
from tests.conftest import copy_catalog, run_tagctl
from tests.test_cli_kpi import AS_OF, small_warehouse

GENEROUS = "kpi:\n  cold: {max_coverage: 0.5, max_uses: 10}\n"


@pytest.fixture
def catalog(tmp_path: Path) -> Path:
    root = copy_catalog(tmp_path / "catalog")
    small_warehouse(root / ".tagctl" / "demo.duckdb")
    (tmp_path / "cold.yaml").write_text(GENEROUS, encoding="utf-8")
    return root


def tagctl(catalog: Path, *args: str) -> subprocess.CompletedProcess[str]:
    overlay = catalog.parent / "cold.yaml"
    return run_tagctl(args[0], "-C", catalog, "--config", overlay, *args[1:])


def saved(catalog: Path) -> dict[str, object]:
    measured = "skin_type,visit_product_30d"
    result = tagctl(
        catalog, "kpi", "--as-of", AS_OF, "--tags", measured, "--save", "--format", "json"
    )
    assert result.returncode == 0, result.stderr
    document: dict[str, object] = json.loads(result.stdout)
    return document


def test_without_a_saved_run_it_says_how_to_make_one(catalog: Path) -> None:
    result = tagctl(catalog, "cleanup")
    assert result.returncode == 2
    assert "no saved run" in result.stderr and "tagctl kpi --save" in result.stderr


def test_the_sheet_lists_the_cold_tags_and_reads_back_undecided(
    catalog: Path, tmp_path: Path
) -> None:
    cold = saved(catalog)["catalog"]["cold"]  # type: ignore[index]
    assert cold == ["skin_type", "visit_product_30d"]
    sheet = tmp_path / "review.yaml"
    result = tagctl(catalog, "cleanup", "--out", str(sheet))
    assert result.returncode == 0, result.stderr
    assert "2 cold tags to review" in result.stderr
    decisions = read_review(sheet)
    assert [(d.name, d.decision, d.reason) for d in decisions] == [
        ("skin_type", None, None),
        ("visit_product_30d", None, None),
    ]
    text = sheet.read_text(encoding="utf-8")
    assert "coverage: 0.375" in text and "uses_in_window: 3" in text
    assert 'dependents: ["skin_age_index (development)"]' in text  # with its status


def test_stdout_without_out_and_an_existing_sheet_is_kept(catalog: Path, tmp_path: Path) -> None:
    saved(catalog)
    printed = tagctl(catalog, "cleanup")
    assert printed.returncode == 0 and printed.stdout.startswith("# Cleanup review")
    sheet = tmp_path / "review.yaml"
    sheet.write_text("tags:\n  skin_type: {decision: keep, reason: mine}\n", encoding="utf-8")
    refused = tagctl(catalog, "cleanup", "--out", str(sheet))
    assert refused.returncode == 2 and "--force" in refused.stderr
    assert "reason: mine" in sheet.read_text(encoding="utf-8")
    forced = tagctl(catalog, "cleanup", "--out", str(sheet), "--force")
    assert forced.returncode == 0 and "reason: mine" not in sheet.read_text(encoding="utf-8")


def test_a_decided_sheet_drives_deprecate(catalog: Path, tmp_path: Path) -> None:
    saved(catalog)
    sheet = tmp_path / "review.yaml"
    assert tagctl(catalog, "cleanup", "--out", str(sheet)).returncode == 0
    text = sheet.read_text(encoding="utf-8")
    text = text.replace(
        '  "visit_product_30d":\n    decision:            # deprecate | keep\n    reason:\n',
        '  "visit_product_30d":\n    decision: deprecate\n    reason: "unused for a quarter"\n',
    )
    sheet.write_text(text, encoding="utf-8")
    result = tagctl(catalog, "deprecate", "--from", str(sheet), "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "+status: deprecated" in result.stdout
    assert "unused for a quarter" in result.stdout
