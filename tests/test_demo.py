"""The demo warehouse: its tables, its planted facts, and `tagctl demo`.

Warehouses are built from a copy of the sample catalog with a few thousand
users and read back with SQL; every planted fact in the DemoSummary is
checked against the rows, and the rows against the KPI definitions of
DESIGN.md section 6 (budgets, holders, windows), not against the generator.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

import duckdb
import pytest
import yaml
from clihelpers import describe, no_traceback, run_tagctl
from demovalue import Warehouse

from tagctl.catalog.config import load_catalog_config
from tagctl.catalog.tags import Tag, load_tags
from tagctl.demo import DemoSummary, build_demo
from tagctl.demo import sql as demo_sql
from tagctl.errors import RuntimeFailure, UsageError
from tagctl.kpi.settings import TABLES

SAMPLE_CATALOG = Path(__file__).resolve().parent.parent / "tag-catalog"
AS_OF = dt.datetime(2026, 11, 23)
HOUR = dt.timedelta(hours=1)
BUDGETS = {
    "realtime": HOUR,
    "hourly": 2 * HOUR,
    "daily": 36 * HOUR,
    "weekly": dt.timedelta(days=8),
    "monthly": dt.timedelta(days=32),
}
TYPES = {
    "users": ["BIGINT", "BOOLEAN"],
    "tag_values": ["BIGINT", "VARCHAR", "VARCHAR", "TIMESTAMP"],
    "tag_usage": ["VARCHAR", "TIMESTAMP", "VARCHAR", "VARCHAR", "VARCHAR"],
    "campaign_tags": ["VARCHAR", "VARCHAR"],
    "campaign_members": ["VARCHAR", "BIGINT", "VARCHAR", "TIMESTAMP"],
    "touches": ["VARCHAR", "BIGINT", "TIMESTAMP", "VARCHAR", "TIMESTAMP"],
    "conversions": ["BIGINT", "TIMESTAMP", "DOUBLE"],
    "campaign_costs": ["VARCHAR", "DOUBLE"],
}
WIDE_TYPES = {"boolean": "BOOLEAN", "integer": "BIGINT", "number": "DOUBLE", "date": "DATE"}

Query = Callable[..., list[tuple[Any, ...]]]


@dataclasses.dataclass
class Demo:
    summary: DemoSummary
    con: duckdb.DuckDBPyConnection

    def rows(self, sql: str, params: Any = None) -> list[tuple[Any, ...]]:
        return self.con.execute(sql, params).fetchall()

    def one(self, sql: str, params: Any = None) -> Any:
        return self.rows(sql, params)[0][0]


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("demo") / "tag-catalog"
    shutil.copytree(SAMPLE_CATALOG, copy, ignore=shutil.ignore_patterns(".tagctl"))
    return copy


@pytest.fixture(scope="module")
def tags(catalog: Path) -> list[Tag]:
    return load_tags(load_catalog_config(catalog))[0]


@pytest.fixture(scope="module")
def by_name(tags: list[Tag]) -> dict[str, Tag]:
    return {tag.name: tag for tag in tags}


def open_demo(summary: DemoSummary) -> Demo:
    return Demo(summary, duckdb.connect(str(summary.path), read_only=True))


@pytest.fixture(scope="module")
def demo(tags: list[Tag], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    """20,000 users, long layout: enough for a tag under 0.1% coverage."""
    out = tmp_path_factory.mktemp("long") / "demo.duckdb"
    built = open_demo(build_demo(tags, out, users=20_000, seed=7, as_of=AS_OF))
    yield built
    built.con.close()


@pytest.fixture(scope="module")
def small(tags: list[Tag], tmp_path_factory: pytest.TempPathFactory) -> dict[str, DemoSummary]:
    """Small builds: the same twice, another seed, and the wide layout."""
    folder = tmp_path_factory.mktemp("small")

    def build(name: str, **options: Any) -> DemoSummary:
        settings: dict[str, Any] = {"users": 3000, "seed": 7, "as_of": AS_OF, **options}
        return build_demo(tags, folder / f"{name}.duckdb", **settings)

    return {
        "long": build("long"),
        "again": build("again"),
        "seed8": build("seed8", seed=8),
        "wide": build("wide", layout="wide"),
    }


def checksums(path: Path) -> dict[str, tuple[int, str]]:
    """Row count and an ordered digest of every table."""
    with duckdb.connect(str(path), read_only=True) as con:
        return {
            table: con.execute(
                f"SELECT count(*), md5(string_agg(t::VARCHAR, chr(10) ORDER BY t::VARCHAR))"
                f" FROM {table} AS t"
            ).fetchall()[0]
            for table in TABLES
        }


# --- tables


def test_every_table_has_the_default_names_and_types(demo: Demo) -> None:
    for table, columns in TABLES.items():
        described = demo.rows(f"DESCRIBE {table}")
        assert [row[0] for row in described] == list(columns), table
        assert [row[1] for row in described] == TYPES[table], table


def test_summary_counts_the_rows(demo: Demo) -> None:
    for table in TABLES:
        assert demo.summary.rows[table] == demo.one(f"SELECT count(*) FROM {table}"), table
    assert demo.summary.tag_rows == demo.summary.rows["tag_values"] > 0


def test_users_are_one_to_n_mostly_active(demo: Demo) -> None:
    count, low, high, active = demo.rows(
        "SELECT count(DISTINCT user_id), min(user_id), max(user_id), avg(is_active::INT) FROM users"
    )[0]
    assert (count, low, high) == (20_000, 1, 20_000)
    assert 0.82 < active < 0.88


def test_one_row_per_user_and_tag_and_only_known_users(demo: Demo) -> None:
    duplicates = demo.one(
        "SELECT count(*) FROM (SELECT user_id, tag_name FROM tag_values GROUP BY ALL"
        " HAVING count(*) > 1)"
    )
    assert duplicates == 0
    assert (
        demo.one("SELECT count(*) FROM tag_values WHERE user_id NOT IN (SELECT user_id FROM users)")
        == 0
    )


def test_every_timestamp_is_before_as_of(demo: Demo) -> None:
    for table, column in [
        ("tag_values", "updated_at"),
        ("tag_usage", "used_at"),
        ("campaign_members", "selected_at"),
        ("touches", "touched_at"),
        ("touches", "responded_at"),
        ("conversions", "converted_at"),
    ]:
        assert demo.one(f"SELECT max({column}) FROM {table}") < AS_OF, (table, column)


# --- determinism


def test_same_inputs_give_the_same_tables(small: dict[str, DemoSummary]) -> None:
    assert checksums(small["long"].path) == checksums(small["again"].path)
    assert small["long"] == dataclasses.replace(small["again"], path=small["long"].path)


def test_another_seed_gives_other_data(small: dict[str, DemoSummary]) -> None:
    first, other = checksums(small["long"].path), checksums(small["seed8"].path)
    for table in ("users", "tag_values", "tag_usage", "campaign_members", "conversions"):
        assert first[table] != other[table], table


def test_a_zoned_as_of_is_read_as_utc(tags: list[Tag], tmp_path: Path) -> None:
    zone = dt.timezone(dt.timedelta(hours=8))
    zoned = build_demo(
        tags, tmp_path / "zoned.duckdb", users=300, as_of=dt.datetime(2026, 11, 23, 8, tzinfo=zone)
    )
    naive = build_demo(tags, tmp_path / "naive.duckdb", users=300, as_of=AS_OF)
    assert zoned.as_of == AS_OF
    assert checksums(zoned.path) == checksums(naive.path)


# --- coverage and values


def coverage(demo: Demo) -> dict[str, float]:
    """Holders (DESIGN.md section 6) over all users, per tag."""
    users = demo.summary.users
    return {
        name: holders / users
        for name, holders in demo.rows(
            "SELECT tag_name, count(*) FILTER (WHERE tag_value NOT IN ('', 'false'))"
            " FROM tag_values GROUP BY ALL"
        )
    }


def test_draft_and_retired_tags_get_no_rows_and_the_others_do(demo: Demo, tags: list[Tag]) -> None:
    present = {row[0] for row in demo.rows("SELECT DISTINCT tag_name FROM tag_values")}
    measured = {t.name for t in tags if t.status not in ("draft", "retired")}
    assert present == measured == set(demo.summary.coverage)
    assert {t.status for t in tags} >= {"draft", "retired"}
    used = {row[0] for row in demo.rows("SELECT DISTINCT tag_name FROM tag_usage")}
    assert used <= measured


def test_coverage_spreads_from_rare_to_common(demo: Demo, by_name: dict[str, Tag]) -> None:
    measured = coverage(demo)
    assert min(measured.values()) < 0.001
    assert sum(share > 0.8 for share in measured.values()) >= 3
    assert all(measured[t] > 0.8 for t in measured if by_name[t].core)
    assert 0.05 < sum(1 for share in measured.values() if share < 0.01) / len(measured) < 0.5


def test_coverage_matches_the_planned_targets(demo: Demo) -> None:
    measured = coverage(demo)
    for name, target in demo.summary.coverage.items():
        holders = measured[name] * demo.summary.users
        # planted out-of-domain booleans ('yes') are rows but not holders
        assert abs(holders - max(1, round(target * demo.summary.users))) <= max(
            1, 0.05 * holders
        ), name


def in_domain(tag: Tag, text: str) -> bool:
    """Whether `text` is a valid value of `tag` (the empty string is no value)."""
    if text == "":
        return tag.value_type != "boolean"
    if tag.value_type == "boolean":
        return text in ("true", "false")
    if tag.value_type == "enum":
        return text in {value.value for value in tag.values}
    if tag.value_type in ("integer", "number"):
        pattern = r"-?\d+" if tag.value_type == "integer" else r"-?\d+(\.\d{1,2})?"
        if not re.fullmatch(pattern, text):
            return False
        number = float(text)
        return (tag.minimum is None or number >= tag.minimum) and (
            tag.maximum is None or number <= tag.maximum
        )
    if tag.value_type == "date":
        return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", text)) and _is_date(text)
    return True


def _is_date(text: str) -> bool:
    try:
        return dt.date.fromisoformat(text) < AS_OF.date()
    except ValueError:
        return False


def test_values_follow_the_value_type_except_on_planted_tags(
    demo: Demo, by_name: dict[str, Tag]
) -> None:
    pairs = demo.rows("SELECT DISTINCT tag_name, tag_value FROM tag_values")
    violating = {name for name, value in pairs if not in_domain(by_name[name], value)}
    assert violating == set(demo.summary.violation_tags)
    assert 2 <= len(violating) <= 0.15 * len(demo.summary.coverage)


def test_out_of_domain_values_are_a_small_share(demo: Demo, by_name: dict[str, Tag]) -> None:
    for name in demo.summary.violation_tags:
        values = demo.rows(
            "SELECT tag_value, count(*) FROM tag_values WHERE tag_name = ? AND tag_value <> ''"
            " AND tag_value <> 'false' GROUP BY ALL",
            [name],
        )
        total = sum(count for _, count in values)
        bad = sum(count for value, count in values if not in_domain(by_name[name], value))
        assert bad >= 1, name
        if total >= 2000:
            assert 0.003 < bad / total < 0.04, name


def test_booleans_are_text_and_holders_say_true(demo: Demo, by_name: dict[str, Tag]) -> None:
    clean = set(demo.summary.coverage) - set(demo.summary.violation_tags)
    booleans = [name for name in clean if by_name[name].value_type == "boolean"]
    values = demo.rows(
        "SELECT DISTINCT tag_value FROM tag_values WHERE tag_name IN (SELECT unnest(?))",
        [booleans],
    )
    assert {row[0] for row in values} == {"true", "false"}


def test_enum_values_are_skewed_and_some_rows_are_empty(demo: Demo) -> None:
    shares = [
        row[0]
        for row in demo.rows(
            "SELECT count(*) FROM tag_values WHERE tag_name = 'skin_type' GROUP BY tag_value"
            " ORDER BY 1 DESC"
        )
    ]
    assert len(shares) >= 5
    assert shares[0] > 2 * shares[-1]
    empty = demo.one("SELECT count(DISTINCT tag_name) FROM tag_values WHERE tag_value = ''")
    assert empty >= 3


# --- freshness


def test_planted_stale_tags_are_old_and_the_others_fresh(
    demo: Demo, by_name: dict[str, Tag]
) -> None:
    newest = dict(demo.rows("SELECT tag_name, max(updated_at) FROM tag_values GROUP BY ALL"))
    stale = set(demo.summary.stale_tags)
    assert 0.05 <= len(stale) / len(newest) <= 0.15
    for name, updated in newest.items():
        budget = BUDGETS.get(by_name[name].refresh)
        if budget is None:
            assert name not in stale, name
        elif name in stale:
            assert AS_OF - updated > 3 * budget, name
        else:
            assert AS_OF - updated < budget, name


# --- usage


def test_zombies_have_no_use_in_the_window_and_other_online_tags_do(
    demo: Demo, by_name: dict[str, Tag]
) -> None:
    recent = {
        row[0]
        for row in demo.rows(
            "SELECT DISTINCT tag_name FROM tag_usage WHERE used_at >= ? AND used_at < ?",
            [AS_OF - dt.timedelta(days=30), AS_OF],
        )
    }
    online = {name for name in demo.summary.coverage if by_name[name].status == "online"}
    zombies = set(demo.summary.zombie_tags)
    assert zombies and not zombies & recent
    assert 0.08 <= len(zombies) / len(online) <= 0.25
    assert online - zombies <= recent


def test_usage_is_skewed_over_consumers_and_departments(demo: Demo) -> None:
    counts = [row[0] for row in demo.rows("SELECT count(*) FROM tag_usage GROUP BY tag_name")]
    assert max(counts) > 10 * sorted(counts)[len(counts) // 2]
    kinds = {row[0] for row in demo.rows("SELECT DISTINCT consumer_type FROM tag_usage")}
    assert kinds == {"segment", "model", "push", "api", "report"}
    assert demo.one("SELECT count(DISTINCT department) FROM tag_usage") >= 5
    oldest = demo.one("SELECT min(used_at) FROM tag_usage")
    assert AS_OF - oldest <= dt.timedelta(days=120)
    consumers = demo.rows("SELECT DISTINCT consumer_type, consumer_id FROM tag_usage")
    prefixes = {"segment": "seg", "model": "mdl", "push": "push", "api": "api", "report": "rpt"}
    for kind, consumer in consumers:
        assert re.fullmatch(rf"{prefixes[kind]}_\d{{4}}", consumer), consumer


# --- campaigns and conversions


def test_campaigns_link_online_tags(demo: Demo, by_name: dict[str, Tag]) -> None:
    links = demo.rows("SELECT campaign_id, list(tag_name) FROM campaign_tags GROUP BY ALL")
    assert 30 <= len(links) <= 60
    for campaign, linked in links:
        assert 1 <= len(linked) <= 3, campaign
        assert all(by_name[name].status == "online" for name in linked), campaign


def test_members_split_into_treatment_and_control(demo: Demo) -> None:
    groups = dict(demo.rows("SELECT group_name, count(*) FROM campaign_members GROUP BY ALL"))
    assert set(groups) == {"treatment", "control"}
    assert 0.15 < groups["control"] / (groups["control"] + groups["treatment"]) < 0.25
    oldest = demo.one("SELECT min(selected_at) FROM campaign_members")
    assert AS_OF - oldest <= dt.timedelta(days=60)


def test_touches_reach_treatment_only(demo: Demo) -> None:
    outside = demo.one(
        "SELECT count(*) FROM touches AS t LEFT JOIN campaign_members AS m USING (campaign_id,"
        " user_id) WHERE m.group_name IS DISTINCT FROM 'treatment'"
    )
    assert outside == 0
    statuses = dict(demo.rows("SELECT status, count(*) FROM touches GROUP BY ALL"))
    assert set(statuses) == {"delivered", "failed"}
    assert 0.85 < statuses["delivered"] / sum(statuses.values()) < 0.95
    responded = demo.rows(
        "SELECT count(*) FILTER (WHERE status <> 'delivered'),"
        " count(*) FILTER (WHERE responded_at <= touched_at),"
        " count(responded_at) / count(*) FILTER (WHERE status = 'delivered')"
        " FROM touches WHERE responded_at IS NOT NULL OR status = 'delivered'"
    )[0]
    assert responded[:2] == (0, 0)
    assert 0.04 < responded[2] < 0.21


CONVERSION_RATES = """
SELECT m.group_name, avg((EXISTS (
    SELECT 1 FROM conversions AS c WHERE c.user_id = m.user_id
    AND c.converted_at BETWEEN m.selected_at AND m.selected_at + INTERVAL 7 DAY))::INT)
FROM campaign_members AS m
WHERE m.campaign_id IN (SELECT campaign_id FROM campaign_tags WHERE tag_name IN (SELECT unnest(?)))
GROUP BY ALL"""


def test_lift_tags_convert_treatment_twice_as_often(demo: Demo) -> None:
    lift = list(demo.summary.lift_tags)
    assert 1 <= len(lift) <= 3
    lifted = dict(demo.rows(CONVERSION_RATES, [lift]))
    assert lifted["treatment"] > 1.5 * lifted["control"]
    # the fast tags' campaigns convert more in both groups (test_fast_tags_convert_sooner)
    planted = {*lift, *demo.summary.fast_tags}
    others = [name for name in demo.summary.coverage if name not in planted]
    flat = dict(demo.rows(CONVERSION_RATES, [others]))
    assert 0.6 < flat["treatment"] / flat["control"] < 1.5
    # the base rate, 3%, and the conversions of other campaigns within 7 days
    assert 0.02 < flat["control"] < 0.07


def test_holders_of_quality_tags_convert_more(demo: Demo) -> None:
    assert len(demo.summary.quality_tags) == 3
    population = demo.one(
        "SELECT count(DISTINCT user_id) / (SELECT count(*) FROM users) FROM conversions"
    )
    assert 0.04 < population < 0.12
    for name in demo.summary.quality_tags:
        rate = demo.one(
            "SELECT avg((user_id IN (SELECT user_id FROM conversions))::INT) FROM tag_values"
            " WHERE tag_name = ? AND tag_value NOT IN ('', 'false')",
            [name],
        )
        assert rate > 1.3 * population, name


def test_amounts_are_positive(demo: Demo) -> None:
    low, high = demo.rows("SELECT min(amount), max(amount) FROM conversions")[0]
    assert 50 <= low < high <= 3000


# --- planted value effects: a combination, a basket tag, a fast tag, costs

WINDOW = [AS_OF - dt.timedelta(days=30), AS_OF]
# Per group of the given campaigns: memberships, those converted, mean days to the first
# conversion within 7 days of selection (over those converted).
CAMPAIGN_CYCLES = """
SELECT group_name, count(*), count(first_days), avg(first_days)
FROM (
    SELECT m.group_name, (
        SELECT min(epoch(c.converted_at - m.selected_at)) / 86400 FROM conversions AS c
        WHERE c.user_id = m.user_id
        AND c.converted_at BETWEEN m.selected_at AND m.selected_at + INTERVAL 7 DAY
    ) AS first_days
    FROM campaign_members AS m WHERE m.campaign_id IN (SELECT unnest(?))
)
GROUP BY ALL"""


def linked_sets(demo: Demo) -> dict[str, frozenset[str]]:
    """Each campaign's set of tags."""
    rows = demo.rows("SELECT campaign_id, list(tag_name) FROM campaign_tags GROUP BY ALL")
    return {campaign: frozenset(names) for campaign, names in rows}


def cycles(demo: Demo, campaigns: list[str]) -> dict[str, tuple[int, int, float]]:
    return {group: tuple(rest) for group, *rest in demo.rows(CAMPAIGN_CYCLES, [campaigns])}


def test_summary_names_the_planted_value_effects(demo: Demo) -> None:
    summary = demo.summary
    assert len(summary.combination) == 2 and set(summary.combination) <= set(summary.lift_tags)
    assert list(summary.combination) == sorted(summary.combination)
    assert len(summary.fast_tags) == len(summary.basket_tags) == 1
    planted = [summary.lift_tags, summary.quality_tags, summary.fast_tags, summary.basket_tags]
    assert len({name for names in planted for name in names}) == sum(map(len, planted))


def test_the_combination_has_campaigns_of_exactly_its_tags_with_a_lift(demo: Demo) -> None:
    combination = frozenset(demo.summary.combination)
    sets = linked_sets(demo)
    combined = sorted(campaign for campaign, names in sets.items() if names == combination)
    assert len(combined) == 2
    earliest = demo.one(
        "SELECT min(selected_at) FROM campaign_members WHERE campaign_id IN (SELECT unnest(?))",
        [combined],
    )
    assert earliest >= WINDOW[0]
    found = cycles(demo, combined)
    rates = {group: converted / members for group, (members, converted, _) in found.items()}
    assert found["control"][0] >= 200 and found["treatment"][0] >= 200
    assert rates["treatment"] > 1.8 * rates["control"]


def test_fast_tags_convert_sooner_in_treatment(demo: Demo) -> None:
    (fast,) = demo.summary.fast_tags
    sets = linked_sets(demo)
    campaigns = sorted(campaign for campaign, names in sets.items() if fast in names)
    assert len(campaigns) == 2 and all(sets[c] == {fast} for c in campaigns)
    found = cycles(demo, campaigns)
    (treated, treatment_days), (converted, control_days) = (
        found[group][1:] for group in ("treatment", "control")
    )
    assert treated >= 100 and converted >= 30
    assert treatment_days < control_days - 1
    assert 1.0 < treatment_days < 2.5 and 3.0 < control_days < 4.0


def test_basket_holders_buy_bigger_baskets(demo: Demo) -> None:
    (basket,) = demo.summary.basket_tags
    holders, everyone, orders = demo.rows(
        "SELECT avg(amount) FILTER (WHERE holder), avg(amount), count(*) FILTER (WHERE holder)"
        " FROM (SELECT *, user_id IN (SELECT user_id FROM tag_values WHERE tag_name = ?"
        " AND tag_value NOT IN ('', 'false')) AS holder FROM conversions"
        " WHERE converted_at >= ? AND converted_at < ?)",
        [basket, *WINDOW],
    )[0]
    assert orders >= 50
    assert 1.4 < holders / everyone < 2.2


def test_every_campaign_has_two_positive_costs(demo: Demo) -> None:
    campaigns = {
        row[0]
        for row in demo.rows(
            "SELECT campaign_id FROM campaign_tags UNION SELECT campaign_id FROM campaign_members"
        )
    }
    costs = demo.rows(
        "SELECT campaign_id, rows, lowest, total / treated FROM (SELECT campaign_id, count(*)"
        " AS rows, min(cost) AS lowest, sum(cost) AS total FROM campaign_costs GROUP BY ALL)"
        " JOIN (SELECT campaign_id, count(*) AS treated FROM campaign_members"
        " WHERE group_name = 'treatment' GROUP BY ALL) USING (campaign_id)"
    )
    assert {campaign for campaign, *_ in costs} == campaigns
    for campaign, rows, lowest, per_member in costs:
        assert rows == 2 and lowest > 0, campaign
        # a fixed part and 3 to 6 yuan per treatment member
        assert 2.5 < per_member < 6.5 + 3000 / 20, campaign


# --- planted redundant tags

# (tag a, its value or None, tag b, its value or None): kind, as the KPI document orders them
PLANTED_PAIRS = {
    ("book_consultation_30d", None, "consult_surgery_30d", None): "duplicate",
    ("member_level", "black_diamond", "vip_birthday_gift", None): "duplicate",
    ("visit_store_7d", None, "visit_store_30d", None): "contained",
}
REDUNDANT_ALERTS = {"consult_surgery_30d", "vip_birthday_gift", "visit_store_7d"}

# The users of P (all users here) holding a set, one query per layout; a boolean holds 'true'.
LONG_HOLDERS = """SELECT DISTINCT user_id FROM tag_values
    WHERE tag_name = ${tag} AND tag_value = ${value} AND updated_at < $as_of
    AND user_id IN (SELECT user_id FROM users)"""
WIDE_HOLDERS = """SELECT user_id FROM tag_values
    WHERE CAST({column} AS VARCHAR) = ${value} AND updated_at < $as_of
    AND user_id IN (SELECT user_id FROM users)"""
# A pair's sizes and intersection, its figures over P, and a digest of each set's users.
PAIR_FIGURES = """
WITH a AS ({a}), b AS ({b}), counts AS (
    SELECT (SELECT count(*) FROM a)::DOUBLE AS na, (SELECT count(*) FROM b)::DOUBLE AS nb,
        (SELECT count(*) FROM a JOIN b USING (user_id))::DOUBLE AS s,
        (SELECT count(*) FROM users)::DOUBLE AS n)
SELECT na::BIGINT, nb::BIGINT, s::BIGINT, n::BIGINT, s / (na + nb - s),
    (n * s - na * nb) / sqrt(na * nb * (n - na) * (n - nb)), s / na, s / nb,
    (SELECT md5(string_agg(user_id::VARCHAR, ',' ORDER BY user_id)) FROM a),
    (SELECT md5(string_agg(user_id::VARCHAR, ',' ORDER BY user_id)) FROM b)
FROM counts"""


class Figures(NamedTuple):
    holders_a: int
    holders_b: int
    shared: int
    population: int
    jaccard: float
    phi: float
    a_in_b: float
    b_in_a: float
    users_a: str  # digests of the sets' user ids
    users_b: str


def pair_figures(con: duckdb.DuckDBPyConnection, pair: tuple[Any, ...], wide: bool) -> Figures:
    """A planted pair's figures, counted from the warehouse's rows."""
    tag_a, value_a, tag_b, value_b = pair
    params = {"as_of": AS_OF, "a_value": value_a or "true", "b_value": value_b or "true"}
    if wide:
        a = WIDE_HOLDERS.format(column=f'"{tag_a}"', value="a_value")
        b = WIDE_HOLDERS.format(column=f'"{tag_b}"', value="b_value")
    else:
        a = LONG_HOLDERS.format(tag="a_tag", value="a_value")
        b = LONG_HOLDERS.format(tag="b_tag", value="b_value")
        params.update(a_tag=tag_a, b_tag=tag_b)
    row = con.execute(PAIR_FIGURES.format(a=a, b=b), params).fetchone()
    assert row is not None
    return Figures(*row)


def pair_key(pair: dict[str, Any]) -> tuple[Any, ...]:
    """A pair of the KPI document as a key of PLANTED_PAIRS."""
    value_a, value_b = pair["values"] or [None, None]
    return (pair["tags"][0], value_a, pair["tags"][1], value_b)


def measure_demo(
    summary: DemoSummary, folder: Path, tables: dict[str, Any] | None = None
) -> dict[str, Any]:
    """`tagctl kpi --format json` on a demo warehouse, as of its as_of, from a catalog copy."""
    catalog = folder / "catalog"
    shutil.copytree(SAMPLE_CATALOG, catalog, ignore=shutil.ignore_patterns(".tagctl"))
    config_file = catalog / "tagctl.yaml"
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    config["warehouse"]["url"] = f"duckdb:///{summary.path}"
    if tables is not None:
        config["warehouse"]["tables"] = tables
    config_file.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    result = run_tagctl("kpi", "--format", "json", "--as-of", AS_OF.date().isoformat(), cwd=catalog)
    no_traceback(result)
    assert result.returncode == 0, describe(result)
    document: dict[str, Any] = json.loads(result.stdout)
    return document


@pytest.fixture(scope="module")
def measured(demo: Demo, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The KPI document of the 20,000-user long demo."""
    return measure_demo(demo.summary, tmp_path_factory.mktemp("kpi"))


def test_summary_names_the_planted_redundant_pairs(demo: Demo) -> None:
    assert demo.summary.redundant_pairs == (
        ("consult_surgery_30d", "book_consultation_30d"),
        ("vip_birthday_gift", "member_level=black_diamond"),
        ("visit_store_7d", "visit_store_30d"),
    )


def test_kpi_finds_exactly_the_planted_pairs_with_their_figures(
    demo: Demo, measured: dict[str, Any]
) -> None:
    found = {pair_key(pair): pair for pair in measured["catalog"]["redundancy"]["pairs"]}
    assert {key: pair["kind"] for key, pair in found.items()} == PLANTED_PAIRS
    for key, pair in found.items():
        counted = pair_figures(demo.con, key, wide=False)
        assert counted.population == demo.summary.users
        assert pair["holders"] == [counted.holders_a, counted.holders_b], key
        assert pair["intersection"] == counted.shared, key
        for name in ("jaccard", "phi", "a_in_b", "b_in_a"):
            assert pair[name] == pytest.approx(getattr(counted, name), rel=1e-5), (key, name)


def test_the_planted_pairs_are_what_was_planted(demo: Demo) -> None:
    figures = {pair: pair_figures(demo.con, pair, wide=False) for pair in PLANTED_PAIRS}
    twins = figures["book_consultation_30d", None, "consult_surgery_30d", None]
    assert twins.shared == twins.holders_b  # the 97% are the first rows of the 100%
    assert 0.965 <= twins.jaccard <= 0.975 and twins.phi > 0.95
    copied = figures["member_level", "black_diamond", "vip_birthday_gift", None]
    assert copied.holders_a == copied.holders_b == copied.shared > 0
    assert copied.jaccard == copied.phi == 1.0
    inner = figures["visit_store_7d", None, "visit_store_30d", None]
    outer_coverage = inner.holders_b / inner.population
    assert inner.shared == inner.holders_a >= 100 and outer_coverage <= 0.75
    assert inner.a_in_b - outer_coverage >= 0.2


def test_kpi_says_which_planted_tags_are_redundant(
    measured: dict[str, Any], by_name: dict[str, Tag]
) -> None:
    tags = measured["tags"]
    alerted = {n for n, kpi in tags.items() if any(a["code"] == "redundant" for a in kpi["alerts"])}
    assert alerted == REDUNDANT_ALERTS
    partners = {n: kpi["redundant_with"] for n, kpi in tags.items() if kpi["redundant_with"]}
    expected: dict[str, list[str]] = {}
    for a, _, b, _ in PLANTED_PAIRS:
        expected.setdefault(a, []).append(b)
        expected.setdefault(b, []).append(a)
    assert partners == expected
    online = [name for name in tags if by_name[name].status == "online"]
    counted = {"book_consultation_30d", "consult_surgery_30d", "vip_birthday_gift"}
    assert measured["catalog"]["redundancy"]["rate"] == pytest.approx(
        len(counted) / len(online), rel=1e-5
    )


def test_the_wide_layout_finds_the_planted_pairs_of_the_long_one(
    demo: Demo, measured: dict[str, Any], tags: list[Tag], tmp_path: Path
) -> None:
    built = build_demo(tags, tmp_path / "wide.duckdb", users=20_000, as_of=AS_OF, layout="wide")
    wide_document = measure_demo(built, tmp_path, {"tag_values": {"layout": "wide"}})
    long_document = measured
    redundancy = wide_document["catalog"]["redundancy"]
    assert {pair_key(pair): pair["kind"] for pair in redundancy["pairs"]} == PLANTED_PAIRS
    assert redundancy == long_document["catalog"]["redundancy"]
    partners = {name: kpi["redundant_with"] for name, kpi in wide_document["tags"].items()}
    assert partners == {name: kpi["redundant_with"] for name, kpi in long_document["tags"].items()}
    assert not [note for note in wide_document["notes"] if note.startswith("redundancy")]
    with duckdb.connect(str(built.path), read_only=True) as wide:
        for pair in PLANTED_PAIRS:
            figures = pair_figures(wide, pair, wide=True)
            assert figures == pair_figures(demo.con, pair, wide=False), pair


# --- the planted value effects, as `tagctl kpi` measures them

MIN_SAMPLE = 200  # kpi.min_sample of the sample catalog


@pytest.fixture(scope="module")
def reference(demo: Demo) -> Warehouse:
    """The value KPIs of the 20,000-user demo, counted in Python from its rows."""
    return Warehouse(demo.con, AS_OF)


def six_digits(value: float) -> float:
    """A number as the KPI document writes it: six significant digits."""
    return float(f"{value:.6g}")


def assert_close(actual: Any, expected: Any, at: str = "$") -> None:
    """Equal, the first difference named by its path; a float is the document's rounding
    (six significant digits) of a number within 1e-9 relative of the expected one."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict) and set(actual) >= set(expected), at
        for key, value in expected.items():
            assert_close(actual[key], value, f"{at}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) == len(expected), at
        for index, (left, right) in enumerate(zip(actual, expected, strict=True)):
            assert_close(left, right, f"{at}[{index}]")
    elif isinstance(expected, float) and not isinstance(actual, bool):
        nearby = {six_digits(expected * (1 + side * 1e-9)) for side in (-1, 0, 1)}
        assert actual in nearby, f"{at}: {actual!r} is not {expected!r} to six digits"
    else:
        assert actual == expected, at


def test_kpi_finds_the_basket_tags_bigger_baskets(
    demo: Demo, measured: dict[str, Any], reference: Warehouse, by_name: dict[str, Tag]
) -> None:
    summary = demo.summary
    for name in (*summary.basket_tags, *summary.quality_tags, *summary.fast_tags):
        holders = reference.holders(name, by_name[name].value_type == "boolean")
        expected = reference.audience_quality(holders)
        assert_close(measured["tags"][name]["audience_quality"], expected, name)
    (basket,) = summary.basket_tags
    quality = measured["tags"][basket]["audience_quality"]
    assert 1.4 < quality["aov_index"] < 2.2
    assert quality["holder_orders"] >= 50


def test_kpi_finds_the_fast_tags_shorter_cycle(
    demo: Demo, measured: dict[str, Any], reference: Warehouse
) -> None:
    for name, kpi in measured["tags"].items():
        campaigns = reference.campaigns_of(name)
        if campaigns:
            assert_close(kpi["conversion"], reference.cycle(campaigns), name)
    (fast,) = demo.summary.fast_tags
    conversion = measured["tags"][fast]["conversion"]
    assert conversion["cycle_difference_days"] < -1
    assert conversion["cycle_ci_low"] < conversion["cycle_difference_days"]
    assert conversion["cycle_ci_high"] < 0


def test_kpi_finds_the_planted_combination(
    demo: Demo, measured: dict[str, Any], reference: Warehouse
) -> None:
    assert_close(measured["combinations"], reference.combinations(MIN_SAMPLE))
    (planted,) = [
        found
        for found in measured["combinations"]
        if found["tags"] == list(demo.summary.combination)
    ]
    assert planted["campaigns"] == 2
    assert planted["significant"] and planted["relative_lift"] > 0.8
    assert planted["roi"]["roi"] > 1


def test_kpi_computes_roi_from_the_costs(
    demo: Demo, measured: dict[str, Any], reference: Warehouse
) -> None:
    for name, kpi in measured["tags"].items():
        assert_close(kpi["roi"], reference.roi(reference.campaigns_of(name)), name)
    assert not [note for note in measured["notes"] if "campaign_costs" in note]
    for name in demo.summary.lift_tags:
        assert measured["tags"][name]["roi"]["roi"] > 1, name


def test_kpi_counts_tag_driven_sales(measured: dict[str, Any], reference: Warehouse) -> None:
    driven = measured["catalog"]["tag_driven"]
    assert_close(driven, reference.tag_driven())
    assert 0 < driven["conversion_share"] < 1 and 0 < driven["amount_share"] < 1
    assert driven["roi"]["cost"] > 0


# --- wide layout


def test_wide_layout_has_a_typed_column_per_tag(
    small: dict[str, DemoSummary], by_name: dict[str, Tag]
) -> None:
    summary = small["wide"]
    with duckdb.connect(str(summary.path), read_only=True) as con:
        described = con.execute("DESCRIBE tag_values").fetchall()
    columns = {row[0]: row[1] for row in described}
    names = [row[0] for row in described]
    assert (names[0], names[-1]) == ("user_id", "updated_at")
    assert set(columns) - {"user_id", "updated_at"} == set(summary.coverage)
    for name in summary.coverage:
        tag = by_name[name]
        expected = "VARCHAR" if name in summary.violation_tags else WIDE_TYPES.get(tag.value_type)
        assert columns[name] == (expected or "VARCHAR"), name
    assert summary.stale_tags == ()


def test_wide_layout_holds_the_values_of_the_long_layout(small: dict[str, DemoSummary]) -> None:
    wide = small["wide"]
    with duckdb.connect(str(wide.path), read_only=True) as con:
        con.execute(f"ATTACH '{small['long'].path}' AS long (READ_ONLY)")
        types = {row[0]: row[1] for row in con.execute("DESCRIBE tag_values").fetchall()}
        for name in wide.coverage:
            column = '"' + name + '"'
            expected = "tag_value"
            if types[name] != "VARCHAR":
                expected = f"CAST(NULLIF(tag_value, '') AS {types[name]})"
            differences = con.execute(
                f"SELECT count(*) FROM (SELECT user_id, {column} AS wide FROM tag_values"
                f" WHERE {column} IS NOT NULL) FULL JOIN (SELECT user_id, {expected} AS long"
                " FROM long.tag_values WHERE tag_name = ? AND"
                f" {expected} IS NOT NULL) USING (user_id) WHERE wide IS DISTINCT FROM long",
                [name],
            ).fetchone()
            assert differences == (0,), name
        rows = con.execute("SELECT count(*), count(DISTINCT user_id) FROM tag_values").fetchall()
        users = con.execute("SELECT count(DISTINCT user_id) FROM long.tag_values").fetchall()
    assert rows[0] == (users[0][0], users[0][0]) == (wide.tag_rows, wide.tag_rows)


def test_other_tables_do_not_depend_on_the_layout(small: dict[str, DemoSummary]) -> None:
    long, wide = checksums(small["long"].path), checksums(small["wide"].path)
    del long["tag_values"], wide["tag_values"]
    assert long == wide


# --- failures


def test_a_failed_build_keeps_the_previous_warehouse(
    tags: list[Tag], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "demo.duckdb"
    build_demo(tags, out, users=500, as_of=AS_OF)
    before = checksums(out)
    monkeypatch.setattr(demo_sql, "USAGE", "INSERT INTO tag_usage SELECT * FROM missing_table")
    with pytest.raises(RuntimeFailure) as failure:
        build_demo(tags, out, users=800, seed=3, as_of=AS_OF)
    assert str(out) in str(failure.value)
    assert checksums(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo.duckdb"]


def test_an_interrupted_build_leaves_nothing_behind(tags: list[Tag], tmp_path: Path) -> None:
    def interrupt(stage: str, fraction: float) -> None:
        if stage == "campaigns":
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        build_demo(tags, tmp_path / "demo.duckdb", users=500, as_of=AS_OF, progress=interrupt)
    assert list(tmp_path.iterdir()) == []


def test_progress_goes_through_the_stages(tags: list[Tag], tmp_path: Path) -> None:
    seen: list[tuple[str, float]] = []
    build_demo(
        tags,
        tmp_path / "demo.duckdb",
        users=200,
        as_of=AS_OF,
        progress=lambda stage, fraction: seen.append((stage, fraction)),
    )
    stages = list(dict.fromkeys(stage for stage, _ in seen))
    assert stages == ["users", "tag values", "usage", "campaigns", "conversions", "finishing"]
    fractions = [fraction for _, fraction in seen]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0


def test_bad_arguments_are_usage_errors(tags: list[Tag], tmp_path: Path) -> None:
    with pytest.raises(UsageError):
        build_demo(tags, tmp_path / "x.duckdb", as_of=AS_OF, layout="tall")
    with pytest.raises(UsageError):
        build_demo(tags, tmp_path / "x.duckdb", users=0, as_of=AS_OF)
    with pytest.raises(RuntimeFailure):
        build_demo(tags, tmp_path, users=100, as_of=AS_OF)
    assert list(tmp_path.iterdir()) == []


# --- scale, from the plan alone


def synthetic_tags(count: int) -> list[Tag]:
    """`count` online tags of every value type, a few of them core, as a big catalog has."""
    shapes: list[dict[str, Any]] = [
        {"value_type": "boolean"},
        {"value_type": "integer", "minimum": 0.0, "maximum": 365.0},
        {"value_type": "number", "minimum": 0.0, "maximum": 1.0},
        {"value_type": "date"},
        {"value_type": "string"},
    ]
    refreshes = ["daily", "hourly", "weekly", "monthly", "realtime", "manual"]
    return [
        Tag(
            name=f"synthetic_{index:03d}",
            path=Path(f"synthetic_{index:03d}.yaml"),
            version="1.0.0",
            zh="",
            en="",
            type="fact",
            category="behavior",
            status="online",
            refresh=refreshes[index % len(refreshes)],
            tier="core" if index % 20 == 0 else "standard",
            **shapes[index % len(shapes)],
        )
        for index in range(count)
    ]


def test_a_million_users_and_200_tags_plan_20_to_30_million_rows() -> None:
    from tagctl.demo.plan import plan_tags

    plans = plan_tags(synthetic_tags(200), 1_000_000, 7, AS_OF)
    assert 20e6 < sum(plan.rows for plan in plans) < 30e6
    assert 15 <= sum(plan.stale for plan in plans) <= 25
    assert 12 <= sum(plan.bad_rate > 0 for plan in plans) <= 20
    assert 25 <= sum(plan.zombie for plan in plans) <= 35


# --- the command line

SUMMARY = re.compile(
    r"demo warehouse: (?P<path>.+) \((?P<users>[\d,]+) users, (?P<rows>[\d,]+) tag rows,"
    r" (?P<layout>long|wide) layout\) in \d+\.\d s"
)


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--users", "99"], "--users must be between 100 and 50,000,000"),
        (["--users", "50000001"], "--users must be between 100 and 50,000,000"),
        (["--as-of", "2026-13-01"], "--as-of: '2026-13-01' is not a date"),
        (["--as-of", "yesterday"], "--as-of: 'yesterday' is not a date"),
        (["--layout", "tall"], "--layout: unknown layout 'tall'"),
        (["--seed", "-1"], "the seed must be a whole number from 0 to 2**63 - 1, not -1"),
    ],
)
def test_bad_flags_exit_2(
    run_tagctl: Callable[..., Any], sample_catalog: Path, flags: list[str], message: str
) -> None:
    result = run_tagctl("demo", *flags, cwd=sample_catalog)
    no_traceback(result)
    assert result.returncode == 2, describe(result)
    assert result.stderr.startswith(f"tagctl: error: {message}"), describe(result)
    assert len(result.stderr.splitlines()) == 1, describe(result)
    assert not (sample_catalog / ".tagctl" / "demo.duckdb").exists()


def test_demo_writes_the_configured_warehouse(
    run_tagctl: Callable[..., Any], sample_catalog: Path, tmp_path: Path
) -> None:
    result = run_tagctl(
        "demo",
        "--users",
        "500",
        "--as-of",
        "2026-11-23",
        "--catalog",
        sample_catalog,
        cwd=tmp_path,
    )
    no_traceback(result)
    assert result.returncode == 0, describe(result)
    match = SUMMARY.fullmatch(result.stdout.strip())
    assert match, describe(result)
    out = sample_catalog / ".tagctl" / "demo.duckdb"
    assert Path(match["path"]) == out.resolve()
    assert (match["users"], match["layout"]) == ("500", "long")
    assert (sample_catalog / ".tagctl" / ".gitignore").is_file()
    assert result.stderr == ""
    with duckdb.connect(str(out), read_only=True) as con:
        rows = con.execute("SELECT count(*) FROM tag_values").fetchall()[0][0]
        newest = con.execute("SELECT max(converted_at) FROM conversions").fetchall()[0][0]
    assert f"{rows:,}" == match["rows"]
    assert newest < AS_OF


def test_demo_wide_prints_the_config_it_needs(
    run_tagctl: Callable[..., Any], sample_catalog: Path
) -> None:
    out = sample_catalog / "new" / "folder" / "wide.duckdb"
    result = run_tagctl(
        "demo", "--users", "300", "--layout", "wide", "--out", out, cwd=sample_catalog
    )
    no_traceback(result)
    assert result.returncode == 0, describe(result)
    first, *rest = result.stdout.splitlines()
    assert SUMMARY.fullmatch(first) and "wide layout" in first, describe(result)
    assert rest[0] == f"measure it with: tagctl kpi --warehouse duckdb:///{out}"
    assert "tag_values: {layout: wide}" in "\n".join(rest)
    assert out.is_file()


def test_demo_says_when_tag_files_are_skipped(
    run_tagctl: Callable[..., Any], sample_catalog: Path
) -> None:
    (sample_catalog / "tags" / "behavior" / "broken.yaml").write_text("name: [\n", "utf-8")
    result = run_tagctl("demo", "--users", "100", cwd=sample_catalog)
    no_traceback(result)
    assert result.returncode == 0, describe(result)
    assert "1 tag files could not be read" in result.stderr, describe(result)


def test_demo_into_a_directory_is_a_usage_error(
    run_tagctl: Callable[..., Any], sample_catalog: Path, tmp_path: Path
) -> None:
    target = tmp_path / "taken"
    target.mkdir()
    result = run_tagctl("demo", "--users", "100", "--out", target, cwd=sample_catalog)
    no_traceback(result)
    assert result.returncode == 2, describe(result)
    assert result.stderr.startswith(f"tagctl: error: {target}"), describe(result)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tag-catalog", "taken"]
    assert list(target.iterdir()) == []


def test_demo_help_has_examples(run_tagctl: Callable[..., Any], sample_catalog: Path) -> None:
    result = run_tagctl("demo", "--help", cwd=sample_catalog, env={"COLUMNS": "100"})
    assert result.returncode == 0, describe(result)
    assert "tagctl demo --layout wide" in result.stdout


def test_demo_on_a_terminal_shows_progress_and_the_summary(
    run_tagctl_in_terminal: Callable[..., tuple[int, str]], sample_catalog: Path
) -> None:
    code, output = run_tagctl_in_terminal(["demo", "--users", "300"], sample_catalog)
    assert code == 0, output
    assert "demo warehouse: " in output and "300 users" in output
