"""The cleanup review sheet: the cold tags of the last saved KPI run, to decide on.

Cold tags are those the KPI run lists under `catalog.cold` (DESIGN.md
section 6: online, coverage under `kpi.cold.max_coverage`, at most
`kpi.cold.max_uses` uses in the window). The sheet gives each its KPIs,
owners and dependents, and an empty `decision:` for the reviewers; `tagctl
deprecate --from` reads it back (the format is in `tagctl/edit/review.py`).

The sheet is written as plain text, strings in JSON quoting (which YAML
reads as double-quoted scalars), so that any name or reason reads back
exactly.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tagctl.catalog.tags import Tag


@dataclass(frozen=True)
class Candidate:
    name: str
    label: str
    category: str
    coverage: float | None
    holders: int | None
    uses: int | None
    last_used: str | None
    business_owner: str
    data_owner: str
    dependents: tuple[str, ...]  # tags whose depends_on names it, with their status


def candidates(document: Mapping[str, Any], tags: Sequence[Tag]) -> list[Candidate]:
    """The cold tags of `document` that are still in the catalog, by name."""
    by_name = {tag.name: tag for tag in tags}
    users: dict[str, list[str]] = {}
    for user in tags:
        for name in user.depends_on:
            users.setdefault(name, []).append(f"{user.name} ({user.status})")
    found = []
    for name in sorted(document["catalog"].get("cold") or ()):
        tag, kpi = by_name.get(name), document["tags"].get(name) or {}
        if tag is None:  # removed from the catalog since the run
            continue
        usage = kpi.get("usage") or {}
        found.append(
            Candidate(
                name=name,
                label=tag.zh or tag.en,
                category=tag.category,
                coverage=kpi.get("coverage"),
                holders=kpi.get("holders"),
                uses=usage.get("events"),
                last_used=usage.get("last_used"),
                business_owner=tag.business_owner,
                data_owner=tag.data_owner,
                dependents=tuple(sorted(users.get(name, ()))),
            )
        )
    return found


def review_sheet(document: Mapping[str, Any], found: Sequence[Candidate], catalog: str) -> str:
    """The review sheet's text."""
    as_of = str(document["as_of"])[:10]
    lines = [
        f"# Cleanup review of {catalog}: the cold tags of the KPI run of {as_of}.",
        "# For each tag set decision to deprecate (with a reason) or keep, then run",
        "#   tagctl deprecate --from THIS_FILE --dry-run   # the exact edits",
        "#   tagctl deprecate --from THIS_FILE             # apply them",
        "# replaced_by and sunset are optional (sunset: today + 90 days by default).",
        "# Every other field is for the reviewers and is ignored.",
        f"kpi_run: {_text(document['as_of'])}",
        f"window_days: {document['window_days']}",
    ]
    if not found:
        return "\n".join([*lines, "tags: {}", ""])
    lines.append("tags:")
    for candidate in found:
        lines += _entry(candidate)
    return "\n".join(lines) + "\n"


def _entry(c: Candidate) -> list[str]:
    dependents = ", ".join(_text(name) for name in c.dependents)
    return [
        f"  {_text(c.name)}:",
        "    decision:            # deprecate | keep",
        "    reason:",
        "    replaced_by:",
        "    sunset:",
        f"    label: {_text(c.label)}",
        f"    category: {_text(c.category)}",
        f"    coverage: {_number(c.coverage)}",
        f"    holders: {_number(c.holders)}",
        f"    uses_in_window: {_number(c.uses)}",
        f"    last_used: {_text(c.last_used) if c.last_used else 'null'}",
        f"    owners: [{_text(c.business_owner)}, {_text(c.data_owner)}]",
        f"    dependents: [{dependents}]",
    ]


def _text(value: object) -> str:
    return json.dumps(str(value), ensure_ascii=False)


def _number(value: float | int | None) -> str:
    return "null" if value is None else f"{value:.6g}" if isinstance(value, float) else str(value)
