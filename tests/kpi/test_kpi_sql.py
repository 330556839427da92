"""The SQL contract of DESIGN.md section 5: pushed down, read-only, portable, scan count fixed.

- the number of statements does not grow with the number of tags;
- every statement is a read (SELECT/WITH, or a metadata read), and the
  warehouse is left as it was, byte for byte for file warehouses;
- every query of the KPI family modules of tagctl/kpi compiles for Trino, StarRocks,
  MySQL, PostgreSQL, SQLite and DuckDB, with the catalog's tag names,
  categories and enum values as bound parameters, never in the SQL text;
- statements return aggregates: their row counts depend on the tags, not
  on the number of users.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import random
import re
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy
from exactdata import exact_dataset
from kpicatalog import AS_OF, BRAND, CATALOG, LTV, SKIN, VIP, VISITS, TagSpec, write_catalog
from kpiwarehouse import Backend, Dataset, user, value
from sqlalchemy import String, cast, create_engine, inspect
from sqlalchemy.engine import Dialect
from sqlalchemy.sql import Select

from tagctl.catalog.tags import load_tags
from tagctl.kpi import campaigns, database, sqlparts, tagdriven
from tagctl.kpi import coverage as kpi_coverage
from tagctl.kpi import dialects as kpi_dialects
from tagctl.kpi import population as kpi_population
from tagctl.kpi import usage as kpi_usage
from tagctl.kpi import values as kpi_values
from tagctl.kpi import wide as kpi_wide
from tagctl.kpi.compute import KpiRequest, compute
from tagctl.kpi.plan import Plan
from tagctl.kpi.relations import FlagLayout, divmod_bit, relation
from tagctl.kpi.settings import TABLES, warehouse_settings

FIVE = [VIP, SKIN, VISITS, LTV, BRAND]
WRITES = ("INSERT", "UPDATE", "DELETE", "CREATE", "DROP", "ALTER", "TRUNCATE", "MERGE", "COPY")
WRITES += ("GRANT", "REVOKE", "REPLACE", "ATTACH", "VACUUM", "CHECKPOINT")
READS = ("SELECT", "WITH", "PRAGMA", "SHOW", "DESCRIBE")
READS += ("SET",)  # a setting of the session (PostgreSQL: the planner's, for one statement)


def many_tags(count: int) -> list[TagSpec]:
    """`count` tags cycling through the five value types of FIVE, under new names."""
    return [
        replace(FIVE[i % len(FIVE)], name=f"{FIVE[i % len(FIVE)].name}_{i:02d}")
        for i in range(count)
    ]


@pytest.fixture
def fetched(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Rows returned by each KPI statement, by the statement's name."""
    counts: dict[str, int] = {}
    real = database.Warehouse.run

    def counting(self: database.Warehouse, name: str, statement: Select[Any]) -> Any:
        rows = real(self, name, statement)
        counts[name] = len(rows)
        return rows

    monkeypatch.setattr(database.Warehouse, "run", counting)
    return counts


def test_statement_count_does_not_grow_with_tags(backend: Backend, statements: list[str]) -> None:
    data = exact_dataset()
    backend.run(data, FIVE)
    few = len(statements)
    statements.clear()
    sixty = many_tags(60)
    # each tag its own holder (two tags share one: a few redundant pairs, as in life)
    late = AS_OF - dt.timedelta(hours=1)
    data.tag_values += [value(1 + i % 30, tag.name, "1", late) for i, tag in enumerate(sixty)]
    run = backend.run(data, sixty)
    assert run.catalog.measured == 60
    assert few == len(statements)
    # A probe per logical table (8), the connection check, one or two looks for names
    # near the absent campaign_costs, and the passes (10 and the two of redundancy); on
    # PostgreSQL the two planner settings around each redundancy statement, the
    # campaigns and the tag-driven statement, and back; on MariaDB one session setting
    # (hashed join buffers) when connecting.
    settings = [s for s in statements if s.startswith("SET LOCAL enable_")]
    assert len(settings) == (16 if backend.name == "postgres" else 0)
    session = [s for s in statements if s.startswith("SET SESSION")]
    assert session in ([], ["SET SESSION join_cache_level = 4"])
    assert few - len(settings) - len(session) <= 8 + 1 + 2 + 12


def test_unique_tag_values_are_counted_without_distinct(
    file_backend: Backend, statements: list[str]
) -> None:
    file_backend.run(exact_dataset(), FIVE)
    distinct = len(statements)
    assert any("count(DISTINCT" in text for text in statements)
    statements.clear()
    file_backend.run(exact_dataset(), FIVE, tables={"tag_values": {"unique": True}})
    assert len(statements) <= distinct
    assert not any("count(DISTINCT" in text for text in statements)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _snapshot(backend: Backend) -> dict[str, int]:
    """Tables of the warehouse and their row counts."""
    engine = backend.engine()
    try:
        with engine.connect() as connection:
            names = inspect(connection).get_table_names(schema=backend.schema)
            count = "SELECT count(*) FROM {}"
            return {
                name: connection.exec_driver_sql(count.format(backend.qualified(name))).scalar_one()
                for name in names
            }
    finally:
        engine.dispose()


@pytest.mark.parametrize("layout", ["long", "wide"])
def test_the_warehouse_is_only_read(backend: Backend, statements: list[str], layout: str) -> None:
    data = exact_dataset()
    data.tag_usage = None  # an optional table absent: the inspector is consulted
    tables = {"tag_values": {"layout": layout}}
    backend.load(data, wide=FIVE if layout == "wide" else None)
    before = _digest(backend.file) if backend.file else None
    counts = _snapshot(backend)
    config = backend.config(FIVE, tables=tables)
    run = compute(KpiRequest(config, as_of=AS_OF))
    assert run.tags["vip_member"].holders == 10
    assert statements
    first_words = [text.lstrip(" (\n").split(None, 1)[0].upper() for text in statements]
    assert not [word for word in first_words if word in WRITES]
    assert set(first_words) <= set(READS), first_words
    if backend.file is not None:
        assert _digest(backend.file) == before
        assert sorted(p.name for p in backend.root.iterdir() if "warehouse" in p.name) == [
            backend.file.name
        ]  # no journal, WAL or lock file left behind
    assert _snapshot(backend) == counts


# -- compile for every dialect --------------------------------------------------------


def _dialects() -> dict[str, Dialect]:
    pytest.importorskip("trino.sqlalchemy")
    pytest.importorskip("starrocks")
    pytest.importorskip("duckdb_engine")
    urls = {
        "trino": "trino://u@h/c",
        "starrocks": "starrocks://u@h/d",
        "mysql": "mysql+pymysql://u@h/d",
        "postgresql": "postgresql+psycopg://u@h/d",
        "sqlite": "sqlite://",
        "duckdb": "duckdb://",
    }
    return {name: create_engine(url).dialect for name, url in urls.items()}


def build_queries(
    root: Path, active_only: bool, unique: bool, dialect: str = ""
) -> Mapping[str, Select[Any]]:
    """Every statement builder of the KPI families on the standard catalog, as run on `dialect`."""
    tables: dict[str, Any] = {"tag_values": {"unique": unique}}
    config = write_catalog(root, CATALOG, {"url": "duckdb:///w.duckdb", "tables": tables})
    tags, _ = load_tags(config)
    measured = [tag for tag in tags if tag.status not in ("draft", "retired")]
    plan = Plan(
        tags=measured,
        categories=sorted({tag.category for tag in measured if tag.status == "online"}),
        as_of=AS_OF,
        window_days=30,
        attribution_days=7,
        active_only=active_only,
        unique=unique,
    )
    # Constants as a VALUES list where tagctl uses one for this dialect.
    plan = dataclasses.replace(
        plan,
        row_values=dialect in kpi_dialects.VALUES_DIALECTS,
        bits=dialect in kpi_dialects.BITS_DIALECTS,
    )
    store = warehouse_settings(config)
    rel = {name: relation(store.tables[name]) for name in TABLES}
    pop = kpi_population.population(rel["users"], rel["conversions"], plan)
    known = kpi_population.members(rel["users"], rel["conversions"], plan)
    wide_map = dataclasses.replace(store.tables["tag_values"], layout="wide")
    names = [tag.name for tag in measured]
    wide = relation(wide_map, extra=names)
    columns = {name: cast(wide.table.c[name], String()) for name in names}
    return {
        "population": kpi_population.population_size(pop),
        "coverage": kpi_coverage.coverage(rel["tag_values"], known, plan),
        "values": kpi_values.values(rel["tag_values"], known, plan),
        "holders": kpi_values.holders(rel["tag_values"], known, plan),
        "usage": kpi_usage.usage(rel["tag_usage"], plan),
        "consumers": kpi_usage.consumers(rel["tag_usage"], plan),
        "campaigns": campaigns.campaigns(
            rel["campaign_members"], rel["touches"], rel["conversions"], plan
        ),
        "campaigns without touches or conversions": campaigns.campaigns(
            rel["campaign_members"], None, None, plan
        ),
        "campaign_links": campaigns.links(rel["campaign_tags"]),
        "campaign_costs": campaigns.costs(rel["campaign_costs"]),
        "tag_driven": tagdriven.driven(
            rel["campaign_tags"], rel["campaign_members"], rel["conversions"], rel["users"], plan
        ),
        "tag_covered": tagdriven.covered(
            rel["campaign_tags"], rel["campaign_members"], rel["users"], plan
        ),
        "wide": kpi_wide.wide(wide, pop, plan, columns),
    }


@pytest.fixture(scope="module")
def dialects() -> dict[str, Dialect]:
    return _dialects()


CATALOG_WORDS = sorted(
    {tag.name for tag in CATALOG}
    | {value for tag in CATALOG for value in tag.values}
    | {tag.category for tag in CATALOG}
)


# Without a connection the MySQL dialect assumes a server that cannot CAST to FLOAT.
@pytest.mark.filterwarnings("ignore:Datatype FLOAT does not support CAST")
@pytest.mark.parametrize("unique", [False, True])
@pytest.mark.parametrize(
    "dialect_name", ["trino", "starrocks", "mysql", "postgresql", "sqlite", "duckdb"]
)
def test_queries_compile_with_the_catalog_bound(
    tmp_path: Path, dialects: dict[str, Dialect], dialect_name: str, unique: bool
) -> None:
    dialect = dialects[dialect_name]
    for name, statement in build_queries(tmp_path, True, unique, dialect.name).items():
        compiled = statement.compile(dialect=dialect)
        sql = str(compiled)
        assert sql.lstrip().upper().startswith("SELECT"), name
        if name == "wide":
            # The wide table's columns are named after the tags: remove those
            # column references (table.column, quoted or not) before looking.
            sql = re.sub(r"[`\"]?tag_values[`\"]?\.[`\"]?[a-z0-9_]+[`\"]?", "tag_values.x", sql)
        found = [word for word in CATALOG_WORDS if re.search(rf"\b{word}\b", sql)]
        assert not found, f"{name} on {dialect_name} has {found} in its text"
        bound = {str(v) for v in compiled.params.values() if isinstance(v, str)}
        if name in ("coverage", "values", "holders"):
            assert {"vip_member", "skin_type"} <= bound, name
        if name == "values":
            assert {"oily", "dry", "combination", "sensitive", "gold"} <= bound


def test_trino_spellings(tmp_path: Path, dialects: dict[str, Dialect]) -> None:
    trino = build_queries(tmp_path / "trino", False, False, "trino")
    values = str(trino["values"].compile(dialect=dialects["trino"]))
    assert "regexp_like(" in values and "TRY_CAST(" in values
    assert "to_unixtime(" in str(trino["campaigns"].compile(dialect=dialects["trino"]))
    starrocks = build_queries(tmp_path / "starrocks", False, False, "starrocks")
    assert "TIMESTAMPDIFF(SECOND" in str(
        starrocks["campaigns"].compile(dialect=dialects["starrocks"])
    )


# -- aggregates only -----------------------------------------------------------------


def _crowd(users: int, seed: int) -> Dataset:
    """`users` users with many distinct values and junk on every tag of FIVE."""
    pick = random.Random(seed)
    rows = []
    before = AS_OF - dt.timedelta(seconds=1)  # a value dated at as_of would not count
    for uid in range(1, users + 1):
        rows += [
            value(uid, "vip_member", pick.choice(["true", "false", f"junk{uid}"]), before),
            value(uid, "skin_type", pick.choice([*SKIN.values, f"bad{uid}"]), before),
            value(uid, "visit_count_90d", pick.choice([str(uid % 120), f"x{uid}"]), before),
            value(uid, "ltv_score", f"{pick.uniform(-50, 1050):.3f}", before),
            value(uid, "favorite_brand", f"brand{uid}", before),
        ]
    data = exact_dataset()
    data.users = [user(uid) for uid in range(1, users + 1)]
    data.tag_values = rows
    return data


def test_statements_return_aggregates_only(file_backend: Backend, fetched: dict[str, int]) -> None:
    file_backend.run(_crowd(200, 1), FIVE)
    small = dict(fetched)
    file_backend.run(_crowd(2000, 2), FIVE)
    large = dict(fetched)
    tags = len(FIVE)
    campaign_rows = exact_dataset()
    linked = len({row["campaign_id"] for row in campaign_rows.campaign_members or ()})
    # values: per tag and (holder, violation) pair at most TOP_VALUES buckets
    # plus one "other" row; the four pairs bound it, whatever the users.
    top = kpi_values.TOP_VALUES + 1
    bounds = {
        "population": 1,
        "coverage": 1,
        "values": tags * 4 * top,
        "holders": tags,
        "usage": tags * 6,  # tag x consumer type x department of the exact dataset
        # consumers: one row per tag name of the usage log (the five, draft_idea
        # and ghost_tag): the log's tags, not only the catalog's, but never users.
        "consumers": tags + 2,
        "campaigns": linked * 2,  # campaign x group
        "campaign_links": len(campaign_rows.campaign_tags or ()),
        "tag_driven": 1,
        "tag_covered": 1,
    }
    # redundancy: per pair of holder sets (a tag, or a value of skin_type) at most
    sets = tags + len(SKIN.values)
    overlaps = {"redundancy_candidates": sets * sets, "redundancy_exact": sets * (sets + 1) // 2}
    assert set(bounds) <= set(large) <= set(bounds) | set(overlaps)
    for name, bound in (bounds | overlaps).items():
        if name in large:
            assert small[name] <= bound and large[name] <= bound, (name, small[name], large[name])
    # Ten times the users, the same number of rows back: favorite_brand alone has
    # 2000 distinct values, yet only its top 20 and "other" return. (The overlap
    # statements return what overlaps, whatever the number of users.)
    assert {n: large[n] for n in bounds} == {n: small[n] for n in bounds}


def test_the_top_values_are_per_tag(file_backend: Backend) -> None:
    run = file_backend.run(_crowd(200, 3), FIVE)
    brand = run.tags["favorite_brand"]
    assert (brand.holders, len(brand.values or ()), brand.values_other) == (200, 20, 180)


# -- the faster spellings agree with the contract ---------------------------------------

NUMBER_TEXTS = [
    "1",
    "-2.5",
    "+.5",
    "3.",
    "1e5",
    "1E-07",
    "1e123",
    ".",
    "",
    " 1",
    "1 ",
    "inf",
    "NaN",
    "0x10",
    "1_000",
    "9" * 29 + ".5",
    "9" * 30,
    "9" * 31,
    "9" * 30 + "." + "9" * 30,
    "9" * 30 + "." + "9" * 31,
    "." + "9" * 30,
    "." + "9" * 31,
]


@pytest.mark.parametrize("url", ["duckdb://", "sqlite://"])
def test_is_number_is_the_number_pattern(url: str) -> None:
    """The short-text pattern of `is_number` gives NUMBER_PATTERN's answer, long or short."""
    pytest.importorskip("duckdb_engine")
    texts = [sqlalchemy.literal(text, String()) for text in NUMBER_TEXTS]
    statement = sqlalchemy.select(*(sqlparts.is_number(text) for text in texts))
    with create_engine(url).connect() as connection:
        found = [bool(flag) for flag in connection.execute(statement).one()]
    expected = [re.search(sqlparts.NUMBER_PATTERN, text) is not None for text in NUMBER_TEXTS]
    assert found == expected


def test_flag_layout_spans_several_words() -> None:
    per_word = kpi_dialects.BITS_PER_WORD
    assert FlagLayout((), ()).words == 0
    assert FlagLayout(("c",) * per_word, ()).words == 1
    # Categories first, then one bit per online core tag, continuing into a second word.
    layout = FlagLayout(("c",) * (per_word - 1), ("core_a", "core_b"))
    assert layout.words == 2
    assert layout.category_bit(0) == (0, 1)
    assert layout.category_bit(per_word - 2) == (0, 1 << (per_word - 2))
    assert layout.core_masks() == [1 << (per_word - 1), 1]
    assert divmod_bit(per_word) == (1, 1)
    assert 1 << (per_word - 1) < 2**31  # every word fits a signed 32-bit integer


def _constant_join(left: Any, outer: bool = False) -> Select[Any]:
    from tagctl.kpi.relations import constant_table

    spec = constant_table("spec", [("tag_name", kpi_dialects.TEXT)], [("skin_type",), ("vip",)])
    on = spec.c.tag_name == left.c.tag_name
    joined = left.outerjoin(spec, on) if outer else left.join(spec, on)
    return sqlalchemy.select(left.c.user_id).select_from(joined)


def test_sqlite_loops_over_the_table_not_over_the_constants() -> None:
    """Without statistics SQLite scanned the table once per constant: the join is a
    CROSS JOIN there (a fixed loop order), and only there, whatever the table's name."""
    from sqlalchemy.dialects import postgresql, sqlite

    odd = sqlalchemy.table(
        "tag JOIN values", sqlalchemy.column("user_id"), sqlalchemy.column("tag_name"), schema="x"
    )
    sql = str(_constant_join(odd).compile(dialect=sqlite.dialect()))
    assert 'FROM x."tag JOIN values" CROSS JOIN (SELECT' in sql
    assert sql.count("CROSS JOIN") == 1
    assert sql.endswith('ON spec.tag_name = x."tag JOIN values".tag_name')  # its name intact
    assert "CROSS" not in str(_constant_join(odd).compile(dialect=postgresql.dialect()))
    outer = str(_constant_join(odd, outer=True).compile(dialect=sqlite.dialect()))
    assert "LEFT OUTER JOIN (SELECT" in outer and "CROSS" not in outer


def test_mysql_compares_codes_with_binary_constants_not_a_cast_column() -> None:
    """Byte for byte on MySQL and MariaDB, with the column bare so that MariaDB can
    hash the join on it."""
    from sqlalchemy.dialects import mysql

    table = sqlalchemy.table(
        "tag_values", sqlalchemy.column("user_id"), sqlalchemy.column("tag_name")
    )
    sql = str(_constant_join(table).compile(dialect=mysql.dialect()))
    assert "AS BINARY) AS tag_name" in sql
    assert "ON spec.tag_name = tag_values.tag_name" in sql
