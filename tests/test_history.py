"""The KPI history store: what the report reads back from saved runs.

Runs are real: `compute` measures the small warehouse of the `tagctl kpi`
tests at several dates, and each run is saved in a SQLite store.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from pathlib import Path

import pytest
import sqlalchemy

from tagctl.catalog.config import load_config
from tagctl.errors import RuntimeFailure
from tagctl.kpi import history
from tagctl.kpi.compute import KpiRequest, compute
from tagctl.kpi.database import Statement
from tagctl.kpi.history import History
from tagctl.kpi.result import KpiRun, Roi, RunSummary
from tests.conftest import copy_catalog
from tests.report.documents import combination, document, roi, tag_driven, tag_kpi
from tests.test_cli_kpi import small_warehouse

insert_run = history._insert_run
DAYS = [dt.datetime(2026, 11, day) for day in (9, 16, 23)]


@cache
def runs(folder: Path) -> list[KpiRun]:
    root = copy_catalog(folder / "catalog")
    small_warehouse(root / ".tagctl" / "demo.duckdb")
    config = load_config(root / "tagctl.yaml")
    return [compute(KpiRequest(config, ("skin_type", "visit_product_30d"), day)) for day in DAYS]


@pytest.fixture(scope="module")
def measured(tmp_path_factory: pytest.TempPathFactory) -> list[KpiRun]:
    return runs(tmp_path_factory.mktemp("history"))


@pytest.fixture
def store(tmp_path: Path) -> History:
    return History(f"sqlite:///{tmp_path / 'history.sqlite'}")


def test_an_empty_store_reads_as_nothing_saved(store: History) -> None:
    assert store.document() is None
    assert store.runs() == [] and store.summaries() == [] and store.trends() == []
    assert store.baseline(DAYS[-1]) is None


def test_the_latest_document_is_the_run_as_saved(store: History, measured: list[KpiRun]) -> None:
    for run in measured:
        store.save(run)
    assert store.document() == json.loads(json.dumps(measured[-1].document()))
    assert [run.as_of for run in store.runs()] == DAYS[::-1]


def test_summaries_hold_each_runs_catalog_object_oldest_first(
    store: History, measured: list[KpiRun]
) -> None:
    for run in measured:
        store.save(run)
    summaries = store.summaries(limit=2)
    assert [summary["as_of"] for summary in summaries] == DAYS[1:]
    assert summaries[-1]["catalog"] == json.loads(json.dumps(measured[-1].document()["catalog"]))
    assert summaries[-1]["population"] == 400


def test_trends_give_every_tags_headline_kpis_per_run(
    store: History, measured: list[KpiRun]
) -> None:
    for run in measured:
        store.save(run)
    rows = store.trends()
    skin = [row for row in rows if row["tag_name"] == "skin_type"]
    assert [row["as_of"] for row in skin] == DAYS
    expected = [run.tags["skin_type"].coverage for run in measured]
    assert [row["coverage"] for row in skin] == pytest.approx(expected)
    assert expected[-1] == pytest.approx(150 / 400)


def test_keep_runs_prunes_the_oldest_with_their_rows(
    tmp_path: Path, measured: list[KpiRun]
) -> None:
    url = f"sqlite:///{tmp_path / 'history.sqlite'}"
    store = History(url, keep_runs=2)
    for run in measured:
        store.save(run)
    assert [run.as_of for run in store.runs()] == DAYS[:0:-1]
    engine = sqlalchemy.create_engine(url)
    with engine.connect() as connection:
        for table in ("tagctl_tag_kpis", "tagctl_tag_buckets", "tagctl_run_catalogs"):
            count = connection.execute(
                sqlalchemy.text(f"SELECT count(DISTINCT run_id) FROM {table}")
            ).scalar()
            assert count == 2, table
    engine.dispose()


def test_a_save_that_fails_at_its_last_statement_leaves_no_half_run(
    store: History, measured: list[KpiRun], monkeypatch: pytest.MonkeyPatch
) -> None:
    store.save(measured[0])

    def and_then_a_duplicate(run_id: str, run: KpiRun) -> list[Statement]:
        statements = insert_run(run_id, run)
        return [*statements, statements[0]]  # the run's row again: a primary key violation

    monkeypatch.setattr(history, "_insert_run", and_then_a_duplicate)
    with pytest.raises(RuntimeFailure):
        store.save(measured[1])
    assert [run.as_of for run in store.runs()] == DAYS[:1]
    assert len(store.summaries()) == 1
    assert {row["as_of"] for row in store.trends()} == {DAYS[0]}


@pytest.mark.parametrize("name", ["mysql", "postgresql", "sqlite", "duckdb"])
def test_the_stores_numbers_are_64_bit_on_every_engine(name: str) -> None:
    # FLOAT is 4 bytes on MySQL and MariaDB: a coverage of 0.123456789 came back as 0.12345679.
    from sqlalchemy.schema import CreateTable

    dialect = sqlalchemy.make_url(f"{name}://").get_dialect()()
    for table in history.METADATA.sorted_tables:
        ddl = str(CreateTable(table).compile(dialect=dialect)).upper()
        assert " FLOAT" not in ddl and " REAL" not in ddl, (name, table.name, ddl)


@pytest.mark.parametrize(
    "damage",
    ['{"as_of": "2026-11-23T00:00:00"}', "[1, 2]", '{"as_of": "not a time"', "null"],
)
def test_a_damaged_saved_document_is_an_error_that_says_so(
    store: History, measured: list[KpiRun], tmp_path: Path, damage: str
) -> None:
    store.save(measured[0])
    engine = sqlalchemy.create_engine(f"sqlite:///{tmp_path / 'history.sqlite'}")
    with engine.begin() as connection:
        connection.execute(sqlalchemy.text("UPDATE tagctl_runs SET document = :d"), {"d": damage})
    engine.dispose()
    with pytest.raises(RuntimeFailure, match="the latest run in the KPI history cannot be read"):
        store.run()


def test_a_saved_run_keeps_its_value_blocks_and_the_summaries_keep_tag_driven(
    store: History,
) -> None:
    driven = tag_driven(roi=roi(4000.0, 10000.0))
    together = combination(["gender", "skin_type"], 2000, roi=roi(500.0, 1500.0))
    tags = {"skin_type": tag_kpi(roi=roi(1000.0, 2500.0))}
    saved = KpiRun.from_document(document(tags, combinations=[together], tag_driven=driven))
    store.save(saved)
    again = store.run()
    assert again == saved
    assert again.catalog.tag_driven is not None and again.catalog.tag_driven.amount_share == 0.4
    assert again.combinations is not None and again.combinations[0].tags == ["gender", "skin_type"]
    assert again.tags["skin_type"].roi == Roi(1000.0, 2500.0, 2.5)
    summary = RunSummary.read(store.summaries()[-1])
    assert summary.catalog.tag_driven == saved.catalog.tag_driven
