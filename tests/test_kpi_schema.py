"""The JSON of `tagctl kpi --format json` against schemas/kpi-result.schema.json.

The documents validated here are real runs: a small DuckDB warehouse is built
with SQL for a copy of the sample catalog, `compute` measures it, and the
document goes through a JSON round trip before validation. The warehouse is
shaped so that every branch of the schema shows up: full coverage and none,
domain violations, stale tags, zombie and star tags, significant positive and
negative lifts, campaigns without members, absent optional tables (null KPIs),
a baseline (PSI), the wide layout.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest
from jsonschema import Draft202012Validator

from tagctl.catalog.config import load_config
from tagctl.catalog.schema import Checker, load_schema, schema_dir
from tagctl.kpi import result
from tagctl.kpi.assemble import Baseline
from tagctl.kpi.compute import KpiRequest, compute
from tests.conftest import copy_catalog

SCHEMA_FILE = Path(__file__).resolve().parent.parent / "schemas" / "kpi-result.schema.json"
AS_OF = dt.datetime(2026, 11, 23)
USERS = 2000
ALERT_CODES = {
    "no_data",
    "low_coverage",
    "high_coverage",
    "stale",
    "domain_violations",
    "zombie",
    "drift",
    "negative_lift",
    "redundant",
}

# The sample catalog's tag files: every row below is written for one of them.
# Long layout, one row per (user_id, tag_name), as tagctl.yaml declares.
TAG_VALUES = """
CREATE TABLE tag_values (
    user_id INTEGER, tag_name VARCHAR, tag_value VARCHAR, updated_at TIMESTAMP
);
-- every user has a gender; a few legacy codes are out of the domain
INSERT INTO tag_values
SELECT user_id, 'gender',
       CASE WHEN user_id % 250 = 0 THEN 'F'
            ELSE ['female', 'female', 'male', 'unknown'][1 + user_id % 4] END,
       TIMESTAMP '2026-11-22 03:00:00'
FROM users;
-- 40 % of users, five enum values
INSERT INTO tag_values
SELECT user_id, 'skin_type',
       ['oily', 'dry', 'combination', 'normal', 'sensitive'][1 + user_id % 5],
       TIMESTAMP '2026-11-22 03:00:00'
FROM users WHERE user_id % 5 IN (1, 2);
-- half of the users: under the tag's own min_coverage of 0.8
INSERT INTO tag_values
SELECT user_id, 'age_band', ['18-24', '25-29', '30-34', '40-49'][1 + user_id % 4],
       TIMESTAMP '2026-11-22 03:00:00'
FROM users WHERE user_id % 2 = 0;
-- daily tag last refreshed five days ago: stale
INSERT INTO tag_values
SELECT user_id, 'member_level', ['silver', 'gold', 'platinum', 'black_diamond'][1 + user_id % 4],
       TIMESTAMP '2026-11-18 00:00:00'
FROM users WHERE user_id % 3 <> 0;
-- a model score in [0, 1), bucketed by the declared bins
INSERT INTO tag_values
SELECT user_id, 'churn_risk_7d', CAST(round((user_id % 100) / 100.0, 2) AS VARCHAR),
       TIMESTAMP '2026-11-22 23:00:00'
FROM users;
-- integer with range 0..90: some values out of range, some not numbers
INSERT INTO tag_values
SELECT user_id, 'visit_store_count_90d',
       CASE WHEN user_id % 97 = 0 THEN '120'
            WHEN user_id % 89 = 0 THEN 'n/a'
            ELSE CAST(user_id % 30 AS VARCHAR) END,
       TIMESTAMP '2026-11-22 03:00:00'
FROM users WHERE user_id % 4 <> 3;
-- monthly numbers without an upper bound
INSERT INTO tag_values
SELECT user_id, 'ltv_score', CAST((user_id * 37) % 40000 AS VARCHAR) || '.5',
       TIMESTAMP '2026-11-01 00:00:00'
FROM users WHERE user_id % 10 < 7;
-- dates, a few in another format
INSERT INTO tag_values
SELECT user_id, 'first_purchase_order_date',
       CASE WHEN user_id % 150 = 0 THEN '2024/01/01'
            ELSE strftime(DATE '2020-01-01' + user_id, '%Y-%m-%d') END,
       TIMESTAMP '2026-11-22 03:00:00'
FROM users WHERE user_id % 3 = 0;
-- free text: more distinct values than the listed top, the rest is values_other
INSERT INTO tag_values
SELECT user_id, 'preferred_store_id', 'store_' || CAST(user_id % 45 AS VARCHAR),
       TIMESTAMP '2026-11-22 03:00:00'
FROM users;
INSERT INTO tag_values
SELECT user_id, 'preferred_brand', CASE WHEN user_id % 7 = 0 THEN '' ELSE 'brand_a' END,
       TIMESTAMP '2026-11-20 03:00:00'
FROM users WHERE user_id % 2 = 1;
-- booleans: true for half, false for the rest
INSERT INTO tag_values
SELECT user_id, 'visit_product_30d', CASE WHEN user_id % 2 = 0 THEN 'true' ELSE 'false' END,
       TIMESTAMP '2026-11-22 03:00:00'
FROM users;
-- hourly boolean refreshed three days ago: stale
INSERT INTO tag_values
SELECT user_id, 'view_live_30d', CASE WHEN user_id % 6 = 0 THEN 'true' ELSE 'false' END,
       TIMESTAMP '2026-11-20 00:00:00'
FROM users;
-- a handful of holders: under min_coverage, and unused: a cold tag
INSERT INTO tag_values
SELECT user_id, 'search_product_1d', 'true', TIMESTAMP '2026-11-22 22:30:00'
FROM users WHERE user_id <= 5;
-- a deprecated tag is still measured
INSERT INTO tag_values
SELECT user_id, 'visit_store_7d', 'true', TIMESTAMP '2026-11-22 03:00:00'
FROM users WHERE user_id % 8 = 0;
-- a tag whose rows are all empty: known to the warehouse, held by no one
INSERT INTO tag_values
SELECT user_id, 'pregnancy_status', NULL, TIMESTAMP '2026-11-22 03:00:00'
FROM users WHERE user_id <= 50;
"""

TAG_USAGE = """
CREATE TABLE tag_usage (
    tag_name VARCHAR, used_at TIMESTAMP, consumer_type VARCHAR, consumer_id VARCHAR,
    department VARCHAR
);
INSERT INTO tag_usage
SELECT 'visit_product_30d', TIMESTAMP '2026-10-25 09:00:00' + i * INTERVAL 16 HOUR,
       ['segment', 'push', 'api', 'report'][1 + i % 4], 'job_' || CAST(i % 6 AS VARCHAR),
       ['marketing', 'crm', 'data'][1 + i % 3]
FROM range(40) t(i);
INSERT INTO tag_usage
SELECT 'gender', TIMESTAMP '2026-11-01 09:00:00' + i * INTERVAL 1 DAY,
       ['segment', 'model'][1 + i % 2], 'job_g' || CAST(i % 3 AS VARCHAR), 'marketing'
FROM range(15) t(i);
INSERT INTO tag_usage
SELECT 'churn_risk_7d', TIMESTAMP '2026-11-02 09:00:00' + i * INTERVAL 1 DAY,
       'model', 'churn_model', 'data'
FROM range(12) t(i);
INSERT INTO tag_usage VALUES
    ('skin_type', TIMESTAMP '2026-11-05 10:00:00', 'segment', 'seg_1', 'beauty'),
    ('skin_type', TIMESTAMP '2026-11-06 10:00:00', 'segment', 'seg_1', 'beauty'),
    -- used before the window only: a zombie with a last use
    ('age_band', TIMESTAMP '2026-09-01 10:00:00', 'report', 'weekly', 'management'),
    -- after as_of: not counted
    ('ltv_score', TIMESTAMP '2026-11-24 10:00:00', 'api', 'crm_app', 'crm');
"""

# Campaign 1 (visit_product_30d, churn_risk_7d) lifts conversion; campaign 3
# (skin_type) lowers it; campaign 2 (gender) is too small to tell; campaign 4
# (ltv_score) selected its audience before the window.
CAMPAIGNS = """
CREATE TABLE campaign_tags (campaign_id INTEGER, tag_name VARCHAR);
INSERT INTO campaign_tags VALUES
    (1, 'visit_product_30d'), (1, 'churn_risk_7d'), (2, 'gender'), (3, 'skin_type'),
    (4, 'ltv_score'), (5, 'no_such_tag');
CREATE TABLE campaign_members (
    campaign_id INTEGER, user_id INTEGER, group_name VARCHAR, selected_at TIMESTAMP
);
INSERT INTO campaign_members
SELECT 1, user_id, CASE WHEN user_id % 4 = 0 THEN 'control' ELSE 'treatment' END,
       TIMESTAMP '2026-11-01 10:00:00'
FROM users WHERE user_id <= 1600;
INSERT INTO campaign_members
SELECT 2, user_id, CASE WHEN user_id % 2 = 0 THEN 'control' ELSE 'treatment' END,
       TIMESTAMP '2026-11-03 10:00:00'
FROM users WHERE user_id <= 40;
INSERT INTO campaign_members
SELECT 3, user_id, CASE WHEN user_id % 4 = 0 THEN 'control' ELSE 'treatment' END,
       TIMESTAMP '2026-11-10 10:00:00'
FROM users WHERE user_id <= 1600;
INSERT INTO campaign_members
SELECT 4, user_id, 'treatment', TIMESTAMP '2026-09-01 10:00:00'
FROM users WHERE user_id <= 100;
CREATE TABLE touches (
    campaign_id INTEGER, user_id INTEGER, touched_at TIMESTAMP, status VARCHAR,
    responded_at TIMESTAMP
);
INSERT INTO touches
SELECT campaign_id, user_id, selected_at + INTERVAL 1 HOUR,
       CASE WHEN user_id % 10 = 0 THEN 'failed' ELSE 'delivered' END,
       CASE WHEN user_id % 3 = 0 THEN selected_at + INTERVAL 5 HOUR END
FROM campaign_members WHERE group_name = 'treatment' AND campaign_id IN (1, 3, 4);
CREATE TABLE conversions (user_id INTEGER, converted_at TIMESTAMP, amount DOUBLE);
-- after campaign 1: a fifth of its treatment group, a tenth of its control group
INSERT INTO conversions
SELECT user_id, TIMESTAMP '2026-11-03 12:00:00', 100 + user_id % 50
FROM users WHERE user_id <= 1600 AND user_id % 4 <> 0 AND user_id % 5 = 1;
INSERT INTO conversions
SELECT user_id, TIMESTAMP '2026-11-04 12:00:00', 80
FROM users WHERE user_id <= 1600 AND user_id % 40 = 0;
-- after campaign 3: half of its control group, a tenth of its treatment group
INSERT INTO conversions
SELECT user_id, TIMESTAMP '2026-11-12 12:00:00', 300
FROM users WHERE user_id <= 1600
    AND ((user_id % 4 = 0 AND user_id % 8 = 0) OR (user_id % 4 <> 0 AND user_id % 10 = 3));
-- outside the window, and a second order of a campaign 1 member
INSERT INTO conversions VALUES
    (7, TIMESTAMP '2026-08-01 12:00:00', 50), (11, TIMESTAMP '2026-11-05 12:00:00', 120);
"""


def build_warehouse(catalog: Path, tables: str = "all") -> Path:
    """The DuckDB file tagctl.yaml of the sample catalog points at, filled with SQL."""
    path = catalog / ".tagctl" / "demo.duckdb"
    path.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(path)) as con:
        con.execute(
            f"""
            CREATE TABLE users AS
            SELECT CAST(i AS INTEGER) AS user_id, i % 10 <> 0 AS is_active
            FROM range(1, {USERS + 1}) t(i)
            """
        )
        con.execute(TAG_VALUES)
        if tables == "all":
            con.execute(TAG_USAGE)
            con.execute(CAMPAIGNS)
    return path


def widen(database: Path) -> None:
    """Turn the long tag_values table into the wide layout: one column per tag."""
    with duckdb.connect(str(database)) as con:
        con.execute("ALTER TABLE tag_values RENAME TO tag_values_long")
        con.execute(
            """
            CREATE TABLE tag_values AS
            SELECT * FROM (
                PIVOT tag_values_long ON tag_name USING first(tag_value) GROUP BY user_id
            ) p
            JOIN (
                SELECT user_id, max(updated_at) AS updated_at
                FROM tag_values_long GROUP BY user_id
            ) u USING (user_id)
            """
        )
        con.execute("DROP TABLE tag_values_long")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def run_kpi(catalog: Path, baseline: Baseline | None = None) -> dict[str, Any]:
    """The JSON document of a KPI run on `catalog` as of AS_OF, as a reader would load it."""
    request = KpiRequest(load_config(catalog / "tagctl.yaml"), as_of=AS_OF)
    document: dict[str, Any] = json.loads(json.dumps(compute(request, baseline).document()))
    return document


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    with SCHEMA_FILE.open(encoding="utf-8") as handle:
        loaded: dict[str, Any] = json.load(handle)
    return loaded


@pytest.fixture(scope="module")
def validator(schema: dict[str, Any]) -> Draft202012Validator:
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


@functools.cache
def fast_checker() -> Checker:
    """The compiled validator tagctl builds from the packaged schema (jsonschema-rs)."""
    return Checker("kpi-result")


def problems(validator: Draft202012Validator, document: Any) -> list[str]:
    """Every violation, one line each, with its path: readable in a failing assert."""
    errors = sorted(validator.iter_errors(document), key=lambda e: list(map(str, e.path)))
    return [f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}" for e in errors]


def alert_codes(document: dict[str, Any]) -> set[str]:
    return {alert["code"] for kpi in document["tags"].values() for alert in kpi["alerts"]}


def test_the_schema_is_a_valid_draft_2020_12_schema(schema: dict[str, Any]) -> None:
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].endswith("/kpi-result.schema.json")


def test_every_object_of_the_schema_is_closed(schema: dict[str, Any]) -> None:
    def objects(node: Any, where: str) -> Iterator[tuple[str, dict[str, Any]]]:
        if isinstance(node, dict):
            if "properties" in node:
                yield where, node
            for key, child in node.items():
                yield from objects(child, f"{where}/{key}")
        elif isinstance(node, list):
            for i, child in enumerate(node):
                yield from objects(child, f"{where}/{i}")

    found = list(objects(schema, "#"))
    assert len(found) > 10
    open_ = [where for where, node in found if node.get("additionalProperties") is not False]
    assert not open_, f"objects without additionalProperties: false: {open_}"
    lax = [w for w, node in found if set(node.get("required", ())) != set(node["properties"])]
    assert not lax, f"objects with optional keys (document() always writes every key): {lax}"


@pytest.mark.parametrize(
    ("where", "record"),
    [
        ("#", result.KpiRun),
        ("#/$defs/population", result.Population),
        ("#/$defs/catalog", result.CatalogKpi),
        ("#/$defs/coverage", result.Coverage),
        ("#/$defs/tag", result.TagKpi),
        ("#/$defs/value_share", result.ValueShare),
        ("#/$defs/usage", result.Usage),
        ("#/$defs/activation", result.Activation),
        ("#/$defs/group", result.Group),
        ("#/$defs/conversion", result.Conversion),
        ("#/$defs/audience_quality", result.AudienceQuality),
        ("#/$defs/alert", result.Alert),
    ],
)
def test_the_schema_has_exactly_the_fields_of_the_result_records(
    schema: dict[str, Any], where: str, record: type
) -> None:
    node = schema
    for key in where.split("/")[1:]:
        node = node[key]
    assert set(node["properties"]) == {field.name for field in dataclasses.fields(record)}


def test_the_alert_codes_and_levels_are_the_ones_tagctl_writes(schema: dict[str, Any]) -> None:
    alert = schema["$defs"]["alert"]["properties"]
    assert set(alert["code"]["enum"]) == ALERT_CODES
    assert alert["level"]["enum"] == list(result.LEVELS)


def test_tagctl_finds_the_schema_where_it_finds_the_others() -> None:
    assert (schema_dir() / "kpi-result.schema.json").is_file()
    assert load_schema("kpi-result")["$id"].endswith("/kpi-result.schema.json")


def test_a_full_run_is_valid_and_shows_every_kind_of_result(
    sample_catalog: Path, validator: Draft202012Validator
) -> None:
    # gender gets a coverage ceiling so that high_coverage shows up too
    edit(
        sample_catalog / "tags" / "profile" / "gender.yaml",
        "  max_domain_violations: 0.0005\n",
        "  max_domain_violations: 0.0005\n  max_coverage: 0.99\n",
    )
    build_warehouse(sample_catalog)
    document = run_kpi(sample_catalog)
    assert problems(validator, document) == []
    assert fast_checker().errors(document) == []  # the validator tagctl uses agrees

    tags = document["tags"]
    assert document["as_of"] == "2026-11-23T00:00:00"
    assert document["previous_run"] is None
    assert document["warehouse"]["layout"] == "long"
    assert document["population"]["size"] == USERS
    assert document["population"]["converted"] > 0
    assert tags["gender"]["coverage"] == 1
    assert tags["preferred_store_id"]["values_other"] > 0
    assert tags["purchase_interest_cluster"]["holders"] is None  # draft: not measured
    assert tags["pregnancy_status"]["holders"] == 0
    assert tags["age_band"]["usage"]["events"] == 0
    assert tags["age_band"]["usage"]["last_used"] == "2026-09-01T10:00:00"
    assert tags["visit_product_30d"]["conversion"]["significant"] is True
    assert tags["ltv_score"]["activation"]["activation_rate"] is None  # no members in the window
    assert tags["ltv_score"]["conversion"]["absolute_lift"] is None
    assert document["catalog"]["star"] and document["catalog"]["cold"]
    assert document["catalog"]["zombie"] is not None
    assert alert_codes(document) == ALERT_CODES - {"drift"}


def test_what_tagctl_kpi_prints_is_valid(
    sample_catalog: Path,
    validator: Draft202012Validator,
    run_tagctl: Callable[..., subprocess.CompletedProcess[str]],
) -> None:
    build_warehouse(sample_catalog)
    done = run_tagctl("kpi", "--format", "json", "--as-of", "2026-11-23", cwd=sample_catalog)
    assert done.returncode == 0, done.stderr
    assert problems(validator, json.loads(done.stdout)) == []


def test_a_run_with_only_the_required_tables_is_valid(
    sample_catalog: Path, validator: Draft202012Validator
) -> None:
    build_warehouse(sample_catalog, tables="required")
    document = run_kpi(sample_catalog)
    assert problems(validator, document) == []
    assert fast_checker().errors(document) == []

    catalog = document["catalog"]
    assert (catalog["usage_rate"], catalog["zombie"]) == (None, None)
    assert document["population"]["converted"] is None
    assert document["population"]["conversion_rate"] is None
    for name in ("gender", "visit_product_30d"):
        kpi = document["tags"][name]
        assert kpi["usage"] is None and kpi["activation"] is None
        assert kpi["conversion"] is None and kpi["audience_quality"] is None
        assert kpi["score"] is None
    assert document["notes"]  # the absent tables are noted


def test_a_run_against_a_baseline_has_drift(
    sample_catalog: Path, validator: Draft202012Validator
) -> None:
    build_warehouse(sample_catalog)
    before = dt.datetime(2026, 11, 16, 6, 30)
    baseline = Baseline(
        as_of=before,
        distributions={
            "age_band": {"18-24": 900, "25-29": 100, "(no value)": 1000},
            "churn_risk_7d": {"[0, 0.05)": 1500, "[0.05, 0.1)": 500},
            "gender": {"female": 1000, "male": 500, "unknown": 500},
        },
    )
    document = run_kpi(sample_catalog, baseline)
    assert problems(validator, document) == []
    assert fast_checker().errors(document) == []

    assert document["previous_run"] == "2026-11-16T06:30:00"
    tags = document["tags"]
    assert all(isinstance(tags[name]["psi"], float) for name in baseline.distributions)
    assert tags["skin_type"]["psi"] is None  # not in the baseline
    assert "drift" in alert_codes(document)


def test_a_run_on_the_wide_layout_is_valid(
    sample_catalog: Path, validator: Draft202012Validator
) -> None:
    edit(sample_catalog / "tagctl.yaml", "layout: long", "layout: wide")
    widen(build_warehouse(sample_catalog))
    document = run_kpi(sample_catalog)
    assert problems(validator, document) == []
    assert fast_checker().errors(document) == []

    assert document["warehouse"]["layout"] == "wide"
    assert document["tags"]["preferred_brand"]["values"] is None  # strings: no distribution
    assert document["tags"]["gender"]["values"]


def test_a_run_on_the_active_population_is_valid(
    sample_catalog: Path, validator: Draft202012Validator
) -> None:
    edit(sample_catalog / "tagctl.yaml", "population: all", "population: active")
    build_warehouse(sample_catalog)
    document = run_kpi(sample_catalog)
    assert problems(validator, document) == []
    assert document["population"]["definition"] == "active"
    assert document["population"]["size"] == USERS - USERS // 10


def test_a_boolean_tag_with_foreign_values_keeps_its_violation_rate_a_fraction(
    sample_catalog: Path, validator: Draft202012Validator
) -> None:
    database = build_warehouse(sample_catalog, tables="required")
    with duckdb.connect(str(database)) as con:
        con.execute(
            """
            INSERT INTO tag_values
            SELECT user_id, 'sms_opt_in', CASE WHEN user_id <= 10 THEN 'true' ELSE 'Y' END,
                   TIMESTAMP '2026-11-22 23:30:00'
            FROM users WHERE user_id <= 100
            """
        )
    document = run_kpi(sample_catalog)
    assert problems(validator, document) == []


# Negative cases: one small valid document, broken one way at a time.


@pytest.fixture(scope="module")
def valid_document(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    catalog = copy_catalog(tmp_path_factory.mktemp("kpi") / "tag-catalog")
    build_warehouse(catalog)
    return run_kpi(catalog)


def broken(document: dict[str, Any], *path: str | int, value: Any) -> dict[str, Any]:
    copy: dict[str, Any] = json.loads(json.dumps(document))
    node: Any = copy
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return copy


def test_the_document_under_test_is_valid(
    valid_document: dict[str, Any], validator: Draft202012Validator
) -> None:
    assert problems(validator, valid_document) == []


@pytest.mark.parametrize(
    ("path", "value", "keyword"),
    [
        (("tags", "gender", "coverage"), 1.5, "maximum"),
        (("catalog", "coverage", "overall"), 1.5, "maximum"),
        (("tags", "gender", "values", 0, "share"), -0.1, "minimum"),
        (("tags", "gender", "holders"), -1, "minimum"),
        (("tags", "gender", "holders"), 2.5, "type"),
        (("tags", "gender", "psi"), -0.01, "minimum"),
        (("tags", "gender", "alerts", 0, "code"), "exploded", "enum"),
        (("tags", "gender", "alerts", 0, "level"), "error", "enum"),
        (("as_of",), "2026-11-23", "pattern"),
        (("as_of",), "2026-11-23T00:00:00+00:00", "pattern"),
        (("tags", "gender", "status"), "live", "enum"),
        (("catalog", "status", "live"), 1, "enum"),
        (("tags", "Bad-Name"), {}, "pattern"),
        (("warehouse", "layout"), "tall", "enum"),
        (("surprise",), 1, "additionalProperties"),
        (("tags", "gender", "usage", "surprise"), 1, "additionalProperties"),
    ],
)
def test_the_schema_rejects(
    valid_document: dict[str, Any],
    validator: Draft202012Validator,
    path: tuple[str | int, ...],
    value: Any,
    keyword: str,
) -> None:
    document = broken(valid_document, *path, value=value)
    errors = list(validator.iter_errors(document))
    keywords = {error.validator for error in errors}
    keywords |= {inner.validator for error in errors for inner in error.context}
    assert keyword in keywords
    assert fast_checker().errors(document)  # the validator tagctl itself uses agrees


def test_the_schema_rejects_a_missing_key(
    valid_document: dict[str, Any], validator: Draft202012Validator
) -> None:
    document = json.loads(json.dumps(valid_document))
    del document["tags"]["gender"]["conversion"]
    assert any(error.validator == "required" for error in validator.iter_errors(document))
