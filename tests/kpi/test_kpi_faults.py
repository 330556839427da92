"""Warehouse failures end in one RuntimeFailure (exit 3) that says what to fix.

Missing tables and columns name the logical table, the physical name and
the tagctl.yaml key; an optional table that is neither configured nor
present only nulls its KPIs; connection errors never show the password;
a statement that outlives `warehouse.timeout_seconds` is interrupted.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from exactdata import exact_dataset
from kpicatalog import AS_OF, CATALOG
from kpiwarehouse import Backend, open_backend
from sqlalchemy import func, literal, select
from sqlalchemy.sql import Select

from tagctl.errors import EXIT_RUNTIME, RuntimeFailure
from tagctl.kpi import coverage as kpi_coverage
from tagctl.kpi.compute import KpiRequest, compute
from tagctl.kpi.result import KpiRun


def failure(action: Callable[[], Any]) -> str:
    """The message (with its hint) of the RuntimeFailure that `action` raises."""
    with pytest.raises(RuntimeFailure) as raised:
        action()
    assert raised.value.exit_code == EXIT_RUNTIME
    return str(raised.value)


def test_missing_required_table(backend: Backend) -> None:
    data = exact_dataset()
    data.tag_values = None  # type: ignore[assignment]  # the table is not created at all
    message = failure(lambda: backend.run(data, CATALOG))
    physical = backend.qualified("tag_values")
    assert f"table {physical} (logical table tag_values) not found" in message
    assert "warehouse.tables.tag_values.table" in message


def test_duckdb_out_of_its_memory_names_the_setting(tmp_path: Path) -> None:
    """DuckDB stops at `warehouse.memory_limit`; the message says which setting to raise."""
    with open_backend("duckdb", tmp_path / "catalog") as duckdb:
        duckdb.load(exact_dataset())
        config = duckdb.config(CATALOG, memory_limit="1MB")
        message = failure(lambda: compute(KpiRequest(config, as_of=AS_OF)))
    assert "query failed: Out of Memory Error" in message
    assert message.endswith("(raise warehouse.memory_limit in tagctl.yaml: DuckDB may use 1MB now)")


def test_configured_table_under_another_name(backend: Backend) -> None:
    data = exact_dataset()
    # The users are loaded as `users`, but tagctl.yaml says dim_user.
    backend.load(data)
    config = backend.config(CATALOG, tables={"users": {"table": "dim_user"}})
    message = failure(lambda: compute(KpiRequest(config, as_of=AS_OF)))
    assert f"table {backend.qualified('dim_user')} (logical table users) not found" in message
    assert "set warehouse.tables.users.table in tagctl.yaml" in message


def test_missing_column(backend: Backend) -> None:
    backend.load(exact_dataset())
    backend.execute(f"ALTER TABLE {backend.qualified('tag_usage')} DROP COLUMN department")
    config = backend.config(CATALOG)
    message = failure(lambda: compute(KpiRequest(config, as_of=AS_OF)))
    physical = backend.qualified("tag_usage")
    assert f"column department (logical tag_usage.department) not found in table {physical}" in (
        message
    )
    assert "set warehouse.tables.tag_usage.columns.department in tagctl.yaml" in message


def test_mapped_column_that_does_not_exist(backend: Backend) -> None:
    tables = {"users": {"columns": {"user_id": "uid"}}}
    message = failure(lambda: backend.run(exact_dataset(), CATALOG, tables=tables))
    assert "column uid (logical users.user_id) not found" in message
    assert "warehouse.tables.users.columns.user_id" in message


def test_is_active_is_needed_only_for_the_active_population(backend: Backend) -> None:
    backend.load(exact_dataset())
    backend.execute(f"ALTER TABLE {backend.qualified('users')} DROP COLUMN is_active")
    run = compute(KpiRequest(backend.config(CATALOG), as_of=AS_OF))
    assert run.population.size == 30
    active = backend.config(CATALOG, kpi={"population": "active"})
    message = failure(lambda: compute(KpiRequest(active, as_of=AS_OF)))
    assert "column is_active (logical users.is_active) not found" in message
    assert "warehouse.tables.users.columns.is_active" in message


def test_configured_optional_table_that_is_missing(backend: Backend) -> None:
    data = exact_dataset()
    data.tag_usage = None
    tables = {"tag_usage": {"table": "usage_log"}}
    message = failure(lambda: backend.run(data, CATALOG, tables=tables))
    physical = backend.qualified("usage_log")
    assert f"table {physical} (logical table tag_usage) not found" in message
    assert "warehouse.tables.tag_usage.table" in message


def _without(backend: Backend, table: str) -> KpiRun:
    data = exact_dataset()
    setattr(data, table, None)
    return backend.run(data, CATALOG)


def _note(backend: Backend, table: str) -> str:
    return f"no {backend.qualified(table)} table: {table} KPIs are null"


def test_without_usage_log(backend: Backend) -> None:
    run = _without(backend, "tag_usage")
    assert _note(backend, "tag_usage") in run.notes
    assert all(kpi.usage is None for kpi in run.tags.values())
    assert (run.catalog.usage_rate, run.catalog.zombie, run.catalog.cold) == (None, None, [])
    assert [a.code for a in run.tags["push_optin"].alerts] == ["no_data"]  # zombie unknown
    assert run.tags["vip_member"].holders == 10  # the rest is computed


@pytest.mark.parametrize("table", ["campaign_tags", "campaign_members"])
def test_without_campaigns(backend: Backend, table: str) -> None:
    run = _without(backend, table)
    assert _note(backend, table) in run.notes
    vip = run.tags["vip_member"]
    assert (vip.activation, vip.conversion) == (None, None)
    assert vip.audience_quality is not None and vip.audience_quality.index == pytest.approx(1.5)


def test_without_touches(backend: Backend) -> None:
    # PostgreSQL: the campaign query's placeholders for the absent table are typed.
    run = _without(backend, "touches")
    assert _note(backend, "touches") in run.notes
    vip = run.tags["vip_member"]
    assert vip.activation is None
    assert vip.conversion is not None
    assert (vip.conversion.treatment.members, vip.conversion.treatment.converted) == (11, 4)


def test_without_conversions(backend: Backend) -> None:
    # PostgreSQL: the campaign query's placeholders for the absent table are typed.
    run = _without(backend, "conversions")
    assert _note(backend, "conversions") in run.notes
    assert (run.population.converted, run.population.conversion_rate) == (None, None)
    vip = run.tags["vip_member"]
    assert (vip.conversion, vip.audience_quality) == (None, None)
    assert vip.activation is not None
    assert (vip.activation.members, vip.activation.reached) == (11, 5)
    assert run.document()["tags"]["vip_member"]["conversion"] is None


@pytest.mark.parametrize(
    "url, driver",
    [
        ("postgresql+psycopg://postgres:secret@127.0.0.1:1/x", "psycopg"),
        ("mysql+pymysql://root:secret@127.0.0.1:1/x", "pymysql"),
    ],
)
def test_connection_refused(file_backend: Backend, url: str, driver: str) -> None:
    pytest.importorskip(driver)
    config = file_backend.config(CATALOG)
    started = time.monotonic()
    message = failure(lambda: compute(KpiRequest(config, as_of=AS_OF, warehouse_url=url)))
    assert time.monotonic() - started < 5
    assert message.startswith("cannot connect")
    assert "***" in message and "secret" not in message


def test_missing_duckdb_file(file_backend: Backend) -> None:
    config = file_backend.config(CATALOG)
    missing = file_backend.root / "nowhere.duckdb"
    url = "duckdb:///nowhere.duckdb"
    message = failure(lambda: compute(KpiRequest(config, as_of=AS_OF, warehouse_url=url)))
    assert message.startswith("cannot connect")
    assert "`tagctl demo`" in message
    assert not missing.exists()  # read-only: nothing created


def _endless() -> Select[Any]:
    """A statement that counts for a very long time (a recursive CTE without end in sight)."""
    numbers = select(literal(1).label("n")).cte("numbers", recursive=True)
    numbers = numbers.union_all(select(numbers.c.n + 1).where(numbers.c.n < 10**15))
    return select(func.count()).select_from(numbers)


def _sleep(function: str) -> Callable[[], Select[Any]]:
    """A statement that sleeps 5 s on the server (pg_sleep, SLEEP)."""
    return lambda: select(getattr(func, function)(5))


SLOW = {
    "duckdb": _endless,
    "sqlite": _endless,
    "postgres": _sleep("pg_sleep"),
    "mysql": _sleep("sleep"),
}


def test_statement_timeout(backend: Backend, monkeypatch: pytest.MonkeyPatch) -> None:
    backend.load(exact_dataset())
    config = backend.config(CATALOG, timeout_seconds=0.5)
    slow = SLOW[backend.name]()
    monkeypatch.setattr(kpi_coverage, "coverage", lambda *args: slow)
    started = time.monotonic()
    message = failure(lambda: compute(KpiRequest(config, as_of=AS_OF)))
    assert time.monotonic() - started < 4
    assert message.startswith("the coverage query failed: timed out after 0.5 s"), message
