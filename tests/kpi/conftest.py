"""Fixtures of the KPI tests: one warehouse per test, on every backend available.

`backend` runs a test on DuckDB and SQLite always, on PostgreSQL when
TAGCTL_TEST_POSTGRES_URL is set (postgresql+psycopg://postgres@127.0.0.1:5432/test)
and on MariaDB/MySQL when TAGCTL_TEST_MYSQL_URL is set
(mysql+pymysql://root@127.0.0.1:3306/test). `file_backend` is DuckDB and
SQLite only. `statements` records every statement a run sends.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy
from kpiwarehouse import BACKENDS, Backend, open_backend
from sqlalchemy import event
from sqlalchemy.engine import Engine

from tagctl.kpi import engines


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    """A fresh, empty warehouse on one backend; its catalog folder is tmp_path/catalog."""
    with open_backend(request.param, tmp_path / "catalog") as opened:
        yield opened


@pytest.fixture(params=BACKENDS[:2])
def file_backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    """A fresh DuckDB or SQLite warehouse file in the catalog folder."""
    with open_backend(request.param, tmp_path / "catalog") as opened:
        yield opened


@pytest.fixture
def statements(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every statement that tagctl's warehouse engines send to a cursor, in order."""
    seen: list[str] = []
    real = sqlalchemy.create_engine  # what tagctl.kpi.engines calls

    def recording(*args: Any, **kwargs: Any) -> Engine:
        engine = real(*args, **kwargs)

        def before(conn: Any, cursor: Any, statement: str, *rest: Any) -> None:
            seen.append(statement)

        event.listen(engine, "before_cursor_execute", before)
        return engine

    monkeypatch.setattr(engines, "create_engine", recording)
    return seen
