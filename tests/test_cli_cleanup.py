"""`tagctl cleanup`: the review sheet of the cold tags of the last saved KPI run.

The small warehouse of the `tagctl kpi` tests has two measured tags; an
overlay config makes the cold rule generous enough that it names them.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tagctl.catalog.config import load_config
from tagctl.edit.review import read_review
from tagctl.kpi.history import open_history
from tagctl.kpi.result import KpiRun
from tagctl.kpi.settings import history_settings
from tests.conftest import copy_catalog, run_tagctl
from tests.report.documents import alert, document, tag_kpi
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


def _with_a_merge(catalog: Path) -> None:
    """Save a run in which view_live_30d is one audience with visit_app_30d."""
    pair = {
        "tags": ["visit_app_30d", "view_live_30d"],
        "values": None,
        "holders": [1000, 970],
        "intersection": 965,
        "jaccard": 0.958,
        "phi": 0.95,
        "a_in_b": 0.965,
        "b_in_a": 0.995,
        "kind": "duplicate",
    }
    says = "one audience with visit_app_30d (Jaccard 0.96): a merge candidate"
    tags = {
        "visit_app_30d": tag_kpi(redundant_with=["view_live_30d"]),
        "view_live_30d": tag_kpi(
            redundant_with=["visit_app_30d"], alerts=[alert("redundant", message=says)]
        ),
    }
    run = KpiRun.from_document(document(tags, redundancy={"rate": 0.1, "pairs": [pair]}))
    with open_history(history_settings(load_config(catalog / "tagctl.yaml")).url) as history:
        history.save(run)


def test_merge_candidates_come_with_their_survivor_and_command(
    catalog: Path, tmp_path: Path
) -> None:
    _with_a_merge(catalog)
    sheet = tmp_path / "review.yaml"
    result = tagctl(catalog, "cleanup", "--out", str(sheet))
    assert result.returncode == 0, result.stderr
    assert "0 cold tags and 1 merge candidate to review" in result.stderr
    text = sheet.read_text(encoding="utf-8")
    assert '    replaced_by: "visit_app_30d"\n' in text and "    cold: false\n" in text
    command = "tagctl deprecate view_live_30d --replaced-by visit_app_30d"
    assert f"    command: \"{command} --reason 'merged into visit_app_30d'\"" in text
    decided = text.replace(
        "    decision:            # deprecate | keep\n    reason:\n",
        '    decision: deprecate\n    reason: "one audience"\n',
    )
    sheet.write_text(decided, encoding="utf-8")
    [decision] = read_review(sheet)
    assert (decision.name, decision.replaced_by) == ("view_live_30d", "visit_app_30d")
    applied = tagctl(catalog, "deprecate", "--from", str(sheet), "--dry-run")
    assert applied.returncode == 0, applied.stderr
    assert "replaced_by: visit_app_30d" in applied.stdout
