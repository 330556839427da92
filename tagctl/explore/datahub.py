"""`tagctl export --format datahub`: the dictionary as a DataHub business glossary.

The output is a JSON array of metadata change proposals (MCPs), the file
format DataHub's `file` source reads (`datahub ingest mcps tags.json`, or a
recipe with `source: {type: file, config: {path: tags.json}}`). Each MCP is
`{entityType, entityUrn, changeType: UPSERT, aspectName, aspect: {json: ...}}`.

- one glossary node for the catalog, `urn:li:glossaryNode:tagctl`, and one
  per category, `urn:li:glossaryNode:tagctl.<category>` (aspect
  `glossaryNodeInfo`);
- one glossary term per tag, `urn:li:glossaryTerm:tagctl.<name>` (the URN
  does not change when a tag moves to another category), with the aspects
  `glossaryTermInfo` (name, definition in Markdown with the display names
  and the description, parent node, `termSource: INTERNAL`,
  `sourceRef: tagctl`, and every other field as `customProperties`),
  `ownership` (business owner as BUSINESS_OWNER, data owner as
  TECHNICAL_OWNER; an e-mail is a `corpuser`, a handle a `corpGroup`) and
  `deprecation` for every tag, so that a tag brought back to life in git is
  no longer deprecated in DataHub either. A deprecated or retired tag has
  `deprecated: true`, the reason as the note, the sunset date as
  `decommissionTime` (milliseconds, UTC midnight), `deprecated_by` as the
  actor and `replaced_by` as the `replacement` term.

Every MCP is an UPSERT, so ingesting the same file again changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from tagctl.catalog.config import Config
from tagctl.catalog.tags import Tag
from tagctl.explore.export import entries

ROOT_NODE = "tagctl"
UNKNOWN_ACTOR = "urn:li:corpuser:unknown"

# Entry fields carried as customProperties (DataHub wants string values).
PROPERTIES = (
    "version",
    "type",
    "status",
    "value_type",
    "values",
    "window",
    "refresh",
    "granularity",
    "tier",
    "sensitivity",
    "source_system",
    "source_tables",
    "depends_on",
    "dependents",
    "logic",
    "path",
)


def node_urn(category: str | None = None) -> str:
    return f"urn:li:glossaryNode:{ROOT_NODE}" + (f".{category}" if category else "")


def term_urn(name: str) -> str:
    return f"urn:li:glossaryTerm:{ROOT_NODE}.{name}"


def owner_urn(owner: str) -> str:
    return f"urn:li:corpuser:{owner}" if "@" in owner else f"urn:li:corpGroup:{owner}"


def proposals(tags: Sequence[Tag], config: Config) -> list[dict[str, Any]]:
    """Every MCP of the catalog: nodes first, then each term's aspects, by tag name."""
    mcps = [_mcp("glossaryNode", node_urn(), "glossaryNodeInfo", _root_info(config))]
    for category in config.categories.values():
        info = {
            "customProperties": {"tagctl_category": category.key, "name_zh": category.zh},
            "definition": category.description or category.en,
            "name": f"{category.en} ({category.zh})",
            "parentNode": node_urn(),
        }
        mcps.append(_mcp("glossaryNode", node_urn(category.key), "glossaryNodeInfo", info))
    for record in entries(tags, config):
        urn = term_urn(record["name"])
        mcps.append(_mcp("glossaryTerm", urn, "glossaryTermInfo", _term_info(record)))
        owners = _ownership(record["owners"])
        if owners is not None:
            mcps.append(_mcp("glossaryTerm", urn, "ownership", owners))
        mcps.append(_mcp("glossaryTerm", urn, "deprecation", _deprecation(record)))
    return mcps


def _mcp(entity: str, urn: str, aspect: str, value: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "entityType": entity,
        "entityUrn": urn,
        "changeType": "UPSERT",
        "aspectName": aspect,
        "aspect": {"json": dict(value)},
    }


def _root_info(config: Config) -> dict[str, Any]:
    return {
        "customProperties": {"source": "tagctl"},
        "definition": f"{config.name}: the tag dictionary, exported by tagctl from git.",
        "name": config.name,
    }


def _term_info(record: Mapping[str, Any]) -> dict[str, Any]:
    labels = record["display_name"]
    definition = f"**{labels['zh']}** · {labels['en']}\n\n{record['description']}".strip()
    return {
        "customProperties": _properties(record),
        "name": record["name"],
        "definition": definition,
        "parentNode": node_urn(record["category"]),
        "termSource": "INTERNAL",
        "sourceRef": "tagctl",
    }


def _properties(record: Mapping[str, Any]) -> dict[str, str]:
    flat = {
        **record,
        "values": ";".join(str(value["value"]) for value in record["values"]),
        "source_system": record["source"]["system"],
        "source_tables": ";".join(record["source"]["tables"]),
        "depends_on": ";".join(record["depends_on"]),
        "dependents": ";".join(record["dependents"]),
    }
    properties = {
        "display_name_zh": record["display_name"]["zh"],
        "display_name_en": record["display_name"]["en"],
    }
    for key in PROPERTIES:
        value = flat.get(key)
        if value not in (None, ""):
            properties[key] = str(value)
    return properties


def _ownership(owners: Mapping[str, str | None]) -> dict[str, Any] | None:
    listed = [
        {"owner": owner_urn(who), "type": kind}
        for who, kind in (
            (owners["business"], "BUSINESS_OWNER"),
            (owners["data"], "TECHNICAL_OWNER"),
        )
        if who
    ]
    if not listed:
        return None
    return {"owners": listed, "lastModified": {"time": 0, "actor": UNKNOWN_ACTOR}}


def _deprecation(record: Mapping[str, Any]) -> dict[str, Any]:
    ended = record["deprecation"]
    if record["status"] not in ("deprecated", "retired") or ended is None:
        return {"deprecated": False, "note": "", "actor": UNKNOWN_ACTOR}
    note = ended["reason"] or f"{record['status']} in the tagctl catalog"
    aspect: dict[str, Any] = {
        "deprecated": True,
        "note": note,
        "actor": owner_urn(ended["deprecated_by"]) if ended["deprecated_by"] else UNKNOWN_ACTOR,
    }
    sunset = _millis(ended["sunset"]) if ended["sunset"] else None
    if sunset is not None:
        aspect["decommissionTime"] = sunset
    if ended["replaced_by"]:
        aspect["replacement"] = term_urn(ended["replaced_by"])
    return aspect


def _millis(day: str) -> int | None:
    try:
        moment = dt.datetime.combine(dt.date.fromisoformat(day), dt.time(), dt.UTC)
    except ValueError:
        return None
    return int(moment.timestamp()) * 1000
