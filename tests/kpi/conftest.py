"""Fixtures of the KPI tests: one warehouse per test, on every backend available.

`backend` runs a test on DuckDB and SQLite always, on PostgreSQL when
TAGCTL_TEST_POSTGRES_URL is set (postgresql+psycopg://postgres@127.0.0.1:5432/test)
and on MariaDB/MySQL when TAGCTL_TEST_MYSQL_URL is set
(mysql+pymysql://root@127.0.0.1:3306/test). `file_backend` is DuckDB and
SQLite only.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from kpiwarehouse import BACKENDS, Backend, open_backend


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
