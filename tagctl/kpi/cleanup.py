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
from collections.abc import Sequence
from dataclasses import dataclass

from tagctl.catalog.config import Config
from tagctl.catalog.tags import Tag, load_tags
from tagctl.kpi.history import saved_run
from tagctl.kpi.result import KpiRun, TagKpi, iso


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


@dataclass(frozen=True)
class Review:
    sheet: str  # the text to write
    tags: int  # the cold tags it lists


def cleanup_review(config: Config, asker: str = "cleanup") -> Review:
    """The review sheet of the catalog's last saved run; a usage error naming `asker`
    when the history holds no run."""
    run = saved_run(config, asker)
    found = candidates(run, load_tags(config)[0])
    return Review(review_sheet(run, found, config.name), len(found))


def candidates(run: KpiRun, tags: Sequence[Tag]) -> list[Candidate]:
    """The cold tags of `run` that are still in the catalog, by name."""
    by_name = {tag.name: tag for tag in tags}
    users: dict[str, list[str]] = {}
    for user in tags:
        for name in user.depends_on:
            users.setdefault(name, []).append(f"{user.name} ({user.status})")
    found = []
    for name in sorted(run.catalog.cold):
        tag = by_name.get(name)
        if tag is None:  # removed from the catalog since the run
            continue
        found.append(_candidate(tag, run.tags.get(name), tuple(sorted(users.get(name, ())))))
    return found


def _candidate(tag: Tag, kpi: TagKpi | None, dependents: tuple[str, ...]) -> Candidate:
    last_used = kpi.last_used if kpi else None
    return Candidate(
        name=tag.name,
        label=tag.zh or tag.en,
        category=tag.category,
        coverage=kpi.coverage if kpi else None,
        holders=kpi.holders if kpi else None,
        uses=kpi.events if kpi else None,
        last_used=None if last_used is None else iso(last_used),
        business_owner=tag.business_owner,
        data_owner=tag.data_owner,
        dependents=dependents,
    )


def review_sheet(run: KpiRun, found: Sequence[Candidate], catalog: str) -> str:
    """The review sheet's text."""
    as_of = iso(run.as_of)
    lines = [
        f"# Cleanup review of {catalog}: the cold tags of the KPI run of {as_of[:10]}.",
        "# For each tag set decision to deprecate (with a reason) or keep, then run",
        "#   tagctl deprecate --from THIS_FILE --dry-run   # the exact edits",
        "#   tagctl deprecate --from THIS_FILE             # apply them",
        "# replaced_by and sunset are optional (sunset: today + 90 days by default).",
        "# Every other field is for the reviewers and is ignored.",
        f"kpi_run: {_text(as_of)}",
        f"window_days: {run.window_days}",
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
