"""`tagctl kpi` end to end: formats, exit codes, history, faults, progress.

Each test runs the real command on a copy of the sample catalog with a small
DuckDB warehouse written by `small_warehouse` (a few hundred users, every
table present), so that the numbers checked here can be worked out by hand.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
from pathlib import Path

import duckdb
import pytest

from tests.conftest import copy_catalog, run_tagctl, run_tagctl_in_terminal

AS_OF = "2026-11-23"


def small_warehouse(path: Path) -> None:
    """400 users; skin_type on users 1-200 (a quarter invalid, a quarter empty), visit_product_30d
    'true' on every third user and stale; skin_type is used and campaigned."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(path)) as con:
        con.execute(
            "CREATE TABLE users AS SELECT i AS user_id, true AS is_active FROM range(1, 401) t(i)"
        )
        con.execute(
            "CREATE TABLE tag_values(user_id BIGINT, tag_name VARCHAR, tag_value VARCHAR,"
            " updated_at TIMESTAMP)"
        )
        con.execute(
            "INSERT INTO tag_values SELECT i, 'skin_type', CASE i % 4 WHEN 0 THEN 'oily'"
            " WHEN 1 THEN 'dry' WHEN 2 THEN 'bogus' ELSE '' END, TIMESTAMP '2026-11-22 12:00'"
            " FROM range(1, 201) t(i)"
        )
        con.execute(
            "INSERT INTO tag_values SELECT i, 'visit_product_30d', CASE WHEN i % 3 = 0"
            " THEN 'true' ELSE 'false' END, TIMESTAMP '2026-11-01' FROM range(1, 401) t(i)"
        )
        con.execute(
            "CREATE TABLE tag_usage AS SELECT 'skin_type' AS tag_name,"
            " TIMESTAMP '2026-11-20' AS used_at, 'segment' AS consumer_type,"
            " 'seg_' || i AS consumer_id, 'crm' AS department FROM range(3) t(i)"
        )
        con.execute(
            "CREATE TABLE campaign_tags AS SELECT 1 AS campaign_id, 'skin_type' AS tag_name"
        )
        con.execute(
            "CREATE TABLE campaign_members AS SELECT 1 AS campaign_id, i AS user_id,"
            " CASE WHEN i % 5 = 0 THEN 'control' ELSE 'treatment' END AS group_name,"
            " TIMESTAMP '2026-11-10' AS selected_at FROM range(1, 401) t(i)"
        )
        con.execute(
            "CREATE TABLE touches AS SELECT 1 AS campaign_id, i AS user_id,"
            " TIMESTAMP '2026-11-10' AS touched_at, 'delivered' AS status,"
            " NULL::TIMESTAMP AS responded_at FROM range(1, 401) t(i) WHERE i % 5 <> 0"
        )
        con.execute(
            "CREATE TABLE conversions AS SELECT i AS user_id,"
            " TIMESTAMP '2026-11-12' AS converted_at, 50.0 AS amount"
            " FROM range(1, 401) t(i) WHERE i % 4 = 0"
        )


@pytest.fixture
def catalog(tmp_path: Path) -> Path:
    root = copy_catalog(tmp_path / "catalog")
    small_warehouse(root / ".tagctl" / "demo.duckdb")
    return root


def kpi(
    catalog: Path, *args: str, env: dict[str, str | None] | None = None
) -> subprocess.CompletedProcess[str]:
    return run_tagctl("kpi", "-C", catalog, "--as-of", AS_OF, *args, env=env)


def test_json_document_has_the_hand_worked_numbers(catalog: Path) -> None:
    result = kpi(catalog, "--format", "json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["population"]["size"] == 400
    skin = document["tags"]["skin_type"]
    assert skin["holders"] == 150  # oily, dry and bogus: 50 each
    assert skin["coverage"] == pytest.approx(150 / 400)
    assert skin["domain_violations"] == 50
    assert [v["value"] for v in skin["values"]] == ["oily", "dry"]
    assert skin["freshness_hours"] == pytest.approx(12.0)
    assert skin["usage"]["events"] == 3 and skin["usage"]["consumers"] == 3
    assert skin["activation"]["members"] == 320 and skin["activation"]["reached"] == 320
    assert skin["conversion"]["treatment"]["converted"] == 80  # i % 4 == 0 and i % 5 != 0
    assert skin["conversion"]["control"]["converted"] == 20
    visit = document["tags"]["visit_product_30d"]
    assert visit["holders"] == 133 and visit["stale"] is True
    assert {a["code"] for a in visit["alerts"]} >= {"stale", "zombie"}


def test_csv_has_one_row_per_tag(catalog: Path) -> None:
    result = kpi(catalog, "--format", "csv", "--tags", "skin_type,visit_product_30d")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [row["tag"] for row in rows] == ["skin_type", "visit_product_30d"]
    assert rows[0]["holders"] == "150" and rows[1]["stale"] == "true"


def test_table_lists_tags_and_notes_without_progress_off_a_terminal(catalog: Path) -> None:
    result = kpi(catalog, "--tags", "skin_type")
    assert result.returncode == 0, result.stderr
    assert "skin_type" in result.stdout and "37.5%" in result.stdout
    assert "population 400" in result.stdout
    assert result.stderr == ""  # no progress bar for cron


def test_fail_on_alert_exits_1_and_warning_level_counts_alerts(catalog: Path) -> None:
    assert kpi(catalog, "--fail-on", "alert").returncode == 1
    assert kpi(catalog, "--fail-on", "warning").returncode == 1
    assert kpi(catalog).returncode == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "xml"], "unknown format"),
        (["--fail-on", "sometimes"], "--fail-on"),
        (["--tags", "skin_typ"], "did you mean skin_type"),
        (["--window", "0"], "--window"),
    ],
)
def test_usage_errors_exit_2(catalog: Path, args: list[str], message: str) -> None:
    result = kpi(catalog, *args)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr


def test_bad_as_of_exits_2(catalog: Path) -> None:
    result = run_tagctl("kpi", "-C", catalog, "--as-of", "23/11/2026")
    assert result.returncode == 2 and "not a date" in result.stderr


def test_save_then_drift_against_the_previous_run(catalog: Path) -> None:
    first = kpi(catalog, "--save", "--format", "json")
    assert first.returncode == 0, first.stderr
    assert "saved run" in first.stderr
    assert json.loads(first.stdout)["tags"]["skin_type"]["psi"] is None
    assert (catalog / ".tagctl" / "history.sqlite").is_file()
    later = run_tagctl(
        "kpi", "-C", catalog, "--as-of", "2026-11-24", "--format", "json", "--tags", "skin_type"
    )
    document = json.loads(later.stdout)
    assert document["previous_run"] == "2026-11-23T00:00:00"
    assert document["tags"]["skin_type"]["psi"] == pytest.approx(0.0)


def test_missing_warehouse_file_exits_3_with_a_hint(tmp_path: Path) -> None:
    root = copy_catalog(tmp_path / "catalog")
    result = run_tagctl("kpi", "-C", root)
    assert result.returncode == 3
    assert "tagctl demo" in result.stderr and "Traceback" not in result.stderr


def test_refused_connection_exits_3_with_the_password_masked(catalog: Path) -> None:
    url = "postgresql+psycopg://tagctl:s3cret@127.0.0.1:1/cdp"
    result = kpi(catalog, "--warehouse", url)
    assert result.returncode == 3
    assert "s3cret" not in result.stderr and "***" in result.stderr


def test_environment_url_overrides_the_config(catalog: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.duckdb"
    result = kpi(catalog, env={"TAGCTL_WAREHOUSE_URL": f"duckdb:///{other}"})
    assert result.returncode == 3 and str(other) in result.stderr


def test_progress_bar_on_a_terminal(catalog: Path) -> None:
    code, output = run_tagctl_in_terminal(
        ["kpi", "-C", str(catalog), "--as-of", AS_OF, "--tags", "skin_type"], cwd=catalog
    )
    assert code == 0
    assert "skin_type" in output


def test_history_in_a_duckdb_file_is_written_and_read(catalog: Path, tmp_path: Path) -> None:
    store = tmp_path / "history.duckdb"
    overlay = tmp_path / "history.yaml"
    overlay.write_text(f"history:\n  url: duckdb:///{store}\n", encoding="utf-8")
    first = kpi(catalog, "--config", str(overlay), "--save", "--tags", "skin_type")
    assert first.returncode == 0, first.stderr
    later = run_tagctl(
        "kpi", "-C", catalog, "--config", overlay, "--as-of", "2026-11-24", "-f", "json"
    )
    assert later.returncode == 0, later.stderr
    assert json.loads(later.stdout)["previous_run"] == "2026-11-23T00:00:00"
