"""The same KPI document from every engine that can run here.

DuckDB's document of the 10,000-user demo warehouse is the reference; the
same rows loaded into SQLite, PostgreSQL and MariaDB must give the same
document, in the long and the wide layout. PostgreSQL and MariaDB run when
TAGCTL_TEST_POSTGRES_URL and TAGCTL_TEST_MYSQL_URL name a server (`.ci/run`
sets both); each test gets a schema or database of its own.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from clihelpers import copy_catalog
from enginematrix import LONG, WIDE, Reference, assert_same, load, measure, point
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.pool import NullPool

# One worker runs the engine tests: the demo references are built once, not by every worker.
pytestmark = pytest.mark.xdist_group("engines")


def tables_of(reference: Reference) -> dict[str, object]:
    return {"tag_values": LONG if reference.layout == "long" else WIDE}


def test_duckdb_gives_its_own_document_again(reference: Reference, tmp_path: Path) -> None:
    catalog = copy_catalog(tmp_path / "catalog")
    load(f"duckdb:///{catalog / 'copy.duckdb'}", None, reference)
    point(catalog, {"url": "duckdb:///copy.duckdb", "tables": tables_of(reference)})
    assert_same(reference, measure(catalog), "DuckDB (reloaded)")


def test_sqlite(reference: Reference, tmp_path: Path) -> None:
    catalog = copy_catalog(tmp_path / "catalog")
    load(f"sqlite:///{catalog / 'copy.sqlite'}", None, reference)
    point(catalog, {"url": "sqlite:///copy.sqlite", "tables": tables_of(reference)})
    assert_same(reference, measure(catalog), "SQLite")


@pytest.fixture
def server_schema(request: pytest.FixtureRequest) -> Iterator[tuple[str, str]]:
    """(URL, schema) of a fresh schema (PostgreSQL) or database (MariaDB), dropped after."""
    variable = request.param
    url = os.environ.get(variable)
    if not url:
        pytest.skip(f"{variable} is not set")
    name = f"tagctl_matrix_{uuid.uuid4().hex[:10]}"
    kind = "SCHEMA" if make_url(url).get_backend_name() == "postgresql" else "DATABASE"
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.begin() as connection:
            connection.execute(text(f"CREATE {kind} {name}"))
        yield url, name
    finally:
        with engine.begin() as connection:
            connection.execute(
                text(f"DROP {kind} IF EXISTS {name}" + (" CASCADE" if kind == "SCHEMA" else ""))
            )
        engine.dispose()


@pytest.mark.parametrize(
    "server_schema",
    ["TAGCTL_TEST_POSTGRES_URL", "TAGCTL_TEST_MYSQL_URL"],
    indirect=True,
    ids=["postgresql", "mariadb"],
)
def test_server(reference: Reference, server_schema: tuple[str, str], tmp_path: Path) -> None:
    url, schema = server_schema
    catalog = copy_catalog(tmp_path / "catalog")
    load(url, schema, reference)
    point(catalog, {"url": url, "schema": schema, "tables": tables_of(reference)})
    assert_same(reference, measure(catalog), make_url(url).get_backend_name())


def test_the_reference_has_redundant_pairs_to_compare(reference: Reference) -> None:
    # The planted duplicates of the demo: every engine must find these figures.
    redundancy = reference.document["catalog"]["redundancy"]
    kinds = {tuple(pair["tags"]): pair["kind"] for pair in redundancy["pairs"]}
    assert kinds == {
        ("book_consultation_30d", "consult_surgery_30d"): "duplicate",
        ("member_level", "vip_birthday_gift"): "duplicate",
    }
    assert not [note for note in reference.document["notes"] if note.startswith("redundancy")]


def test_the_reference_has_value_kpis_to_compare(reference: Reference) -> None:
    # The demo's planted combination and its campaign costs: every engine must find these.
    document = reference.document
    assert [c for c in document["combinations"] if c["campaigns"] == 2 and c["roi"]["roi"] > 1]
    assert document["catalog"]["tag_driven"]["roi"]["cost"] > 0
    assert not [note for note in document["notes"] if "campaign_costs" in note]
