"""ClickHouse, embedded as chDB, in the engine matrix: the same document as DuckDB.

Runs when chdb and chdb-sqlalchemy are installed (`pip install 'tagctl[clickhouse]'`),
with ClickHouse's default settings: what tagctl needs it sets itself.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from chdbload import load_chdb
from clihelpers import copy_catalog
from enginematrix import LONG, WIDE, Reference, assert_same, measure, point
from sqlalchemy import String, func, literal, literal_column, select, text
from sqlalchemy.exc import DBAPIError

from tagctl.errors import RuntimeFailure
from tagctl.kpi.database import Warehouse
from tagctl.kpi.settings import WarehouseSettings
from tagctl.kpi.showsql import compiled, dialect_named

pytest.importorskip("chdb", reason="chdb is not installed (pip install 'tagctl[clickhouse]')")
pytest.importorskip("chdb_sqlalchemy", reason="chdb-sqlalchemy is not installed")
# With the engine matrix: the demo references are built once (see there).
pytestmark = pytest.mark.xdist_group("engines")


def test_clickhouse(reference: Reference, tmp_path: Path) -> None:
    catalog = copy_catalog(tmp_path / "catalog")
    load_chdb(catalog / "copy.chdb", reference)
    tables = {"tag_values": LONG if reference.layout == "long" else WIDE}
    point(catalog, {"url": "chdb:///copy.chdb", "tables": tables})
    assert_same(reference, measure(catalog), "ClickHouse (chDB)")


def test_an_inlined_string_stays_a_string_on_clickhouse() -> None:
    import chdb

    hostile = "x'); DROP TABLE users; -- \\' \" \\\\ 表"
    sql = compiled(select(literal(hostile, String()).label("v")), dialect_named("clickhouse"))
    answer = chdb.query(sql, "JSONEachRow").bytes().decode("utf-8")
    assert json.loads(answer)["v"] == hostile  # the text read back is the value, whole


def test_the_session_refuses_writes_and_ends_statements_at_the_timeout(tmp_path: Path) -> None:
    from chdb import session

    folder = tmp_path / "warehouse.chdb"
    with session.Session(str(folder)) as setup:
        setup.query("CREATE TABLE kept (n Int64) ENGINE = MergeTree ORDER BY n")
        setup.query("INSERT INTO kept VALUES (1)")
    endless = select(func.count()).select_from(func.numbers(10**13).table_valued("number"))
    with Warehouse(WarehouseSettings(f"chdb:///{folder}", 2, {})) as warehouse:
        for write in ("INSERT INTO kept VALUES (2)", "DROP TABLE kept", "CREATE TABLE t (n Int64)"):
            with pytest.raises(DBAPIError, match=r"(?i)readonly"):
                warehouse.connection.exec_driver_sql(write)
        with pytest.raises(RuntimeFailure) as caught:
            warehouse.run("endless", endless)
        assert str(caught.value).startswith("the endless query failed: timed out after 2 s")
        assert warehouse.run("kept", select(literal_column("n")).select_from(text("kept"))) == [
            {"n": 1}
        ]
