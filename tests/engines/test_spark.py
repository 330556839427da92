"""Spark SQL, through its Thrift Server and PyHive's `hive://` dialect: DuckDB's document.

Runs when TAGCTL_TEST_SPARK_URL names a Thrift Server on this machine
(`.ci/run` starts one from the pyspark wheel and sets it) and PyHive is
installed (`pip install 'tagctl[spark]'`). Each test gets a database of its own.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from clihelpers import copy_catalog
from enginematrix import LONG, WIDE, Reference, assert_same, measure, point
from sparkload import load_spark
from sqlalchemy import String, create_engine, func, literal, select
from sqlalchemy.pool import NullPool

from tagctl.errors import RuntimeFailure
from tagctl.kpi.database import Warehouse
from tagctl.kpi.settings import WarehouseSettings
from tagctl.kpi.showsql import compiled, dialect_named

pytest.importorskip("pyhive", reason="PyHive is not installed (pip install 'tagctl[spark]')")

URL = os.environ.get("TAGCTL_TEST_SPARK_URL", "")
pytestmark = [
    pytest.mark.skipif(not URL, reason="TAGCTL_TEST_SPARK_URL is not set"),
    pytest.mark.xdist_group("spark"),  # one Thrift Server: one worker at a time
]


@pytest.fixture
def spark_schema() -> Iterator[str]:
    """A fresh database on the Thrift Server, dropped with its tables after the test."""
    name = f"tagctl_matrix_{uuid.uuid4().hex[:10]}"
    engine = create_engine(URL, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql(f"CREATE DATABASE {name}")
        yield name
    finally:
        with engine.connect() as connection:
            connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} CASCADE")
        engine.dispose()


def test_spark(reference: Reference, spark_schema: str, tmp_path: Path) -> None:
    catalog = copy_catalog(tmp_path / "catalog")
    load_spark(URL, spark_schema, reference, tmp_path / "parquet")
    tables = {"tag_values": LONG if reference.layout == "long" else WIDE}
    point(catalog, {"url": URL, "schema": spark_schema, "tables": tables})
    assert_same(reference, measure(catalog), "Spark")


def test_an_inlined_string_stays_a_string_on_spark() -> None:
    hostile = "x'); DROP TABLE users; -- \\' \" \\\\ '' \\n 表"
    sql = compiled(select(literal(hostile, String()).label("v")), dialect_named("spark"))
    engine = create_engine(URL, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            (value,) = connection.exec_driver_sql(sql).one()
    finally:
        engine.dispose()
    assert value == hostile  # the text read back is the value, whole


def test_the_server_cancels_a_statement_at_the_timeout() -> None:
    # Counting 10^13 numbers takes hours; the session's query timeout ends it
    # on the server, before the watchdog would cut the connection. The timeout
    # also bounds the connection, which a server sharing two cores with the
    # other test workers took more than 2 s to open.
    endless = select(func.count()).select_from(func.range(10**13).table_valued("id"))
    settings = WarehouseSettings(URL, 8, {})
    with Warehouse(settings) as warehouse, pytest.raises(RuntimeFailure) as caught:
        warehouse.run("endless", endless)
    assert str(caught.value).startswith("the endless query failed: timed out after 8 s")
