"""`tagctl kpi --show-sql [--dialect NAME]`: what a run would send, compiled, nothing executed.

- every --dialect compiles every statement (skipped, with the reason, when its
  SQLAlchemy package is not installed), with no bound parameter left;
- with --dialect nothing connects; without it only the probes run;
- inlined strings cannot break out of their quotes;
- the printed statements are the ones `compute` executes.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import sqlalchemy
from exactdata import exact_dataset
from kpicatalog import AS_OF, CATALOG, SKIN
from kpiwarehouse import Backend, Dataset, user, value
from sqlalchemy import String, create_engine, event, literal, select
from sqlalchemy.engine import Engine

from tagctl.errors import UsageError
from tagctl.kpi import engines
from tagctl.kpi.compute import KpiRequest, compute
from tagctl.kpi.settings import TABLES
from tagctl.kpi.showsql import DIALECTS, compiled, dialect_named, show_sql
from tests.clihelpers import run_tagctl

PASSES = ["population", "coverage", "values", "holders", "usage", "consumers", "campaigns"]
PASSES += ["campaign_links", "tag_driven", "tag_covered"]  # the test data has no costs
PASSES += ["redundancy_candidates", "redundancy_exact"]
# With --dialect nothing connects, and every table is taken to be there: costs too.
EVERY_PASS = [*PASSES[:8], "campaign_costs", *PASSES[8:]]
PROBES = [f"probe {name}" for name in TABLES]
HOSTILE = "x'); DROP TABLE users; -- \\' \" \\\\ 表"


def load(name: str) -> Any:
    try:
        return dialect_named(name)
    except UsageError as error:
        pytest.skip(f"{error.message} ({error.hint})")


@pytest.mark.parametrize("name", sorted(DIALECTS))
def test_every_dialect_compiles_every_statement(name: str, file_backend: Backend) -> None:
    load(name)
    config = file_backend.config(CATALOG, tables={"tag_values": {"layout": "long"}})
    file_backend.clear()  # no warehouse at all: --dialect never connects
    shown = show_sql(KpiRequest(config, as_of=AS_OF), name)
    assert [label for label, _ in shown] == PROBES + EVERY_PASS
    for label, sql in shown:
        assert sql.strip(), label
        assert not re.search(r"%\(|:[a-z_]+\b|\?|\$[0-9]", _without_strings(sql)), (name, label)
    everything = "\n".join(sql for _, sql in shown)
    assert "'skin_type'" in everything  # a catalog value, inlined as a quoted literal
    assert "2026-03-01" in everything and "2026-01-30" in everything  # as_of, window start


@pytest.mark.parametrize("layout", ["long", "wide"])
@pytest.mark.parametrize("name", sorted(DIALECTS))
def test_no_statement_casts_to_a_32_bit_float(
    name: str, layout: str, file_backend: Backend
) -> None:
    # FLOAT is 32-bit on Spark, Hive and MySQL: values near a bin edge changed bucket.
    load(name)
    config = file_backend.config(CATALOG, tables={"tag_values": {"layout": layout}})
    file_backend.clear()
    everything = "\n".join(sql for _, sql in show_sql(KpiRequest(config, as_of=AS_OF), name))
    assert "DOUBLE" in everything.upper() or name == "sqlite" or "FLOAT64" in everything.upper()
    assert not re.search(r"\b(FLOAT|REAL|FLOAT4|FLOAT32)\b", _without_strings(everything), re.I)


def _without_strings(sql: str) -> str:
    return re.sub(r"'(?:[^'\\]|''|\\.)*'", "''", sql)


def test_spark_is_the_hive_dialect() -> None:
    assert DIALECTS["spark"] == DIALECTS["hive"]


def test_an_unknown_or_missing_dialect_is_a_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(UsageError, match="unknown dialect 'oracle'"):
        dialect_named("oracle")
    monkeypatch.setitem(DIALECTS, "snowflake", ("nosuchdialect", "snowflake-sqlalchemy"))
    with pytest.raises(UsageError) as raised:
        dialect_named("snowflake")
    assert raised.value.hint == "pip install snowflake-sqlalchemy"


@pytest.mark.parametrize("name", ["sqlite", "duckdb", "mysql", "postgresql"])
def test_an_inlined_string_stays_a_string(name: str) -> None:
    dialect = load(name)
    sql = compiled(select(literal(HOSTILE, String()).label("v")), dialect)
    assert "DROP TABLE users" in sql
    if name in ("sqlite", "duckdb"):  # the text read back is the value, whole
        engine = create_engine(f"{name}://")
        with engine.connect() as connection:
            assert connection.exec_driver_sql(sql).scalar() == HOSTILE
        engine.dispose()


@pytest.mark.parametrize("name", ["duckdb", "postgresql"])
def test_standard_strings_keep_their_backslashes(name: str) -> None:
    # DuckDB and PostgreSQL read `'a\b'` as a, backslash, b: doubling it (as
    # SQLAlchemy 2.0 did) prints SQL whose string is not the value
    sql = compiled(select(literal(HOSTILE, String()).label("v")), load(name))
    assert "'x''); DROP TABLE users; -- \\'' \" \\\\ 表'" in sql


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every statement tagctl's warehouse engines send to a cursor."""
    seen: list[str] = []
    real = sqlalchemy.create_engine

    def recording(*args: Any, **kwargs: Any) -> Engine:
        engine = real(*args, **kwargs)
        event.listen(engine, "before_cursor_execute", lambda *a: seen.append(a[2]))
        return engine

    monkeypatch.setattr(engines, "create_engine", recording)
    return seen


def test_with_a_dialect_nothing_connects(file_backend: Backend, sent: list[str]) -> None:
    config = file_backend.config(CATALOG, url="postgresql+psycopg://nobody@127.0.0.1:1/none")
    shown = show_sql(KpiRequest(config, as_of=AS_OF), "postgresql")
    assert len(shown) == len(PROBES + EVERY_PASS) and sent == []


def test_without_a_dialect_only_the_probes_run(backend: Backend, sent: list[str]) -> None:
    data = exact_dataset()
    backend.load(data)
    config = backend.config(CATALOG)
    shown = show_sql(KpiRequest(config, as_of=AS_OF))
    # not a pass: MariaDB's session setting, PostgreSQL's planner settings around the
    # hash-joined statements, and back
    queries = [sql for sql in sent if not sql.startswith(("SET SESSION", "SET LOCAL"))]
    probes = [sql for sql in queries if "WHERE" in sql and re.search(r"WHERE (false|0 = 1)", sql)]
    assert len(probes) == len(TABLES)
    # and SELECT 1, and the look for names near the absent campaign_costs (one or two)
    assert len(TABLES) + 2 <= len(queries) <= len(TABLES) + 3
    sent.clear()
    compute(KpiRequest(config, as_of=AS_OF))
    ran = [sql for sql in sent if not sql.startswith(("SET SESSION", "SET LOCAL"))]
    ran = [sql for sql in ran if sql not in queries]
    # the same passes, one statement each; redundancy_exact only when the sample found pairs
    assert len(shown) - len(PROBES) - 1 <= len(ran) <= len(shown) - len(PROBES)


def test_the_cli_prints_named_statements_ending_with_semicolons(backend: Backend) -> None:
    backend.load(Dataset(users=[user(1)], tag_values=[value(1, SKIN.name, "oily", AS_OF)]))
    backend.config(CATALOG)
    as_of = (AS_OF - dt.timedelta(days=1)).date().isoformat()
    done = run_tagctl("kpi", "--show-sql", "--dialect", "trino", "--as-of", as_of, cwd=backend.root)
    assert done.returncode == 0, done.stderr
    blocks = done.stdout.strip().split("\n\n")
    assert [block.splitlines()[0] for block in blocks] == [f"-- {n}" for n in PROBES + EVERY_PASS]
    assert all(block.endswith(";") for block in blocks)
    refused = run_tagctl("kpi", "--dialect", "trino", cwd=backend.root)
    assert refused.returncode == 2 and "--dialect only goes with --show-sql" in refused.stderr
    unknown = run_tagctl("kpi", "--show-sql", "--dialect", "db2", cwd=backend.root)
    assert unknown.returncode == 2 and "unknown dialect 'db2'" in unknown.stderr
