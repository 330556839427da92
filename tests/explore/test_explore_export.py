"""The dictionary export: field order, CSV rows, and the DataHub proposals."""

from __future__ import annotations

import datetime as dt

from explorehelpers import sample

from tagctl.explore.datahub import node_urn, proposals, term_urn
from tagctl.explore.export import dictionary, entries
from tagctl.explore.records import ENTRY_COLUMNS, entry_row

ENTRY_KEYS = [
    "name",
    "version",
    "display_name",
    "description",
    "type",
    "category",
    "category_label",
    "status",
    "value_type",
    "values",
    "range",
    "bins",
    "window",
    "refresh",
    "granularity",
    "tier",
    "sensitivity",
    "owners",
    "source",
    "depends_on",
    "dependents",
    "logic",
    "renamed_from",
    "quality",
    "deprecation",
    "changelog",
    "path",
]


def test_every_entry_has_the_documented_fields_in_order() -> None:
    config, tags = sample()
    document = dictionary(tags, config)
    assert list(document) == ["format", "format_version", "catalog", "tags"]
    assert [t["name"] for t in document["tags"]] == sorted(t.name for t in tags)
    for record in document["tags"]:
        assert list(record) == ENTRY_KEYS


def test_entries_carry_dependents_ranges_and_deprecation() -> None:
    config, tags = sample()
    by_name = {record["name"]: record for record in entries(tags, config)}
    assert "winback_dormant_vip" in by_name["churn_risk_7d"]["dependents"]
    assert by_name["churn_risk_7d"]["range"] == {"min": 0, "max": 1}
    assert by_name["skin_type"]["deprecation"] is None
    ended = by_name["age_group"]["deprecation"]
    assert ended is not None and ended["reason"] and ended["sunset"] == "2027-03-31"
    assert by_name["age_group"]["status"] == "deprecated"


def test_csv_rows_have_exactly_the_entry_columns() -> None:
    config, tags = sample()
    for record in entries(tags, config):
        row = entry_row(record)
        assert tuple(row) == ENTRY_COLUMNS
        assert all(isinstance(value, str) for value in row.values())


def test_datahub_proposals_have_the_mcp_shape() -> None:
    config, tags = sample()
    mcps = proposals(tags, config)
    for mcp in mcps:
        assert list(mcp) == ["entityType", "entityUrn", "changeType", "aspectName", "aspect"]
        assert mcp["changeType"] == "UPSERT" and list(mcp["aspect"]) == ["json"]
        assert mcp["entityUrn"].startswith(f"urn:li:{mcp['entityType']}:")
    nodes = {m["entityUrn"] for m in mcps if m["aspectName"] == "glossaryNodeInfo"}
    assert nodes == {node_urn(), *(node_urn(key) for key in config.categories)}
    terms = [m for m in mcps if m["aspectName"] == "glossaryTermInfo"]
    assert len(terms) == len(tags)
    for term in terms:
        info = term["aspect"]["json"]
        assert info["parentNode"] in nodes and info["termSource"] == "INTERNAL"
        assert info["definition"] and info["name"]
        assert all(isinstance(v, str) for v in info["customProperties"].values())


def test_datahub_deprecation_for_every_term() -> None:
    config, tags = sample()
    aspects = {
        m["entityUrn"]: m["aspect"]["json"]
        for m in proposals(tags, config)
        if m["aspectName"] == "deprecation"
    }
    assert len(aspects) == len(tags)
    live = aspects[term_urn("skin_type")]
    assert live == {"deprecated": False, "note": "", "actor": "urn:li:corpuser:unknown"}
    ended = aspects[term_urn("age_group")]
    assert ended["deprecated"] is True and ended["note"]
    assert ended["actor"] == "urn:li:corpuser:wang.wei@example.com"
    sunset = dt.datetime(2027, 3, 31, tzinfo=dt.UTC)
    assert ended["decommissionTime"] == int(sunset.timestamp()) * 1000
    replaced = [a for a in aspects.values() if "replacement" in a]
    assert replaced and all(a["replacement"].startswith("urn:li:glossaryTerm:") for a in replaced)


def test_datahub_owners_are_users_or_groups() -> None:
    config, tags = sample()
    owners = [
        owner
        for m in proposals(tags, config)
        if m["aspectName"] == "ownership"
        for owner in m["aspect"]["json"]["owners"]
    ]
    assert {owner["type"] for owner in owners} == {"BUSINESS_OWNER", "TECHNICAL_OWNER"}
    assert all(o["owner"].startswith(("urn:li:corpuser:", "urn:li:corpGroup:")) for o in owners)
