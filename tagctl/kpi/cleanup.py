"""The cleanup review sheet: the cold tags and merge candidates of the last saved KPI run.

Cold tags are those the KPI run lists under `catalog.cold` (DESIGN.md
section 6: online, coverage under `kpi.cold.max_coverage`, at most
`kpi.cold.max_uses` uses in the window). Merge candidates are the live tags
the run's redundancy found to be one audience with another tag and that
should go (their `redundant` alert, see `tagctl.kpi.redundancy`); each comes
with its suggested survivor in `replaced_by` and the exact `tagctl
deprecate` line. The sheet gives each tag its KPIs, owners and dependents,
and an empty `decision:` for the reviewers; `tagctl deprecate --from` reads
it back (the format is in `tagctl/edit/review.py`).

The sheet is written as plain text, strings in JSON quoting (which YAML
reads as double-quoted scalars), so that any name or reason reads back
exactly.
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from tagctl.catalog.config import Config
from tagctl.catalog.tags import Tag, load_tags
from tagctl.catalog.versioning import ENDED
from tagctl.kpi.history import saved_run
from tagctl.kpi.result import KpiRun, Overlap, TagKpi, iso


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
    cold: bool = True
    survivor: str | None = None  # a merge candidate: the tag it is one audience with
    why: str | None = None  # the run's words on the overlap


@dataclass(frozen=True)
class Review:
    sheet: str  # the text to write
    tags: int  # the cold tags it lists
    merges: int = 0  # the merge candidates it lists (a tag may be both)


def cleanup_review(config: Config, asker: str = "cleanup") -> Review:
    """The review sheet of the catalog's last saved run; a usage error naming `asker`
    when the history holds no run."""
    run = saved_run(config, asker)
    found = candidates(run, load_tags(config)[0])
    cold = sum(1 for c in found if c.cold)
    merges = sum(1 for c in found if c.survivor is not None)
    return Review(review_sheet(run, found, config.name), cold, merges)


def candidates(run: KpiRun, tags: Sequence[Tag]) -> list[Candidate]:
    """The cold tags and merge candidates of `run` still in the catalog: cold ones first."""
    by_name = {tag.name: tag for tag in tags}
    users: dict[str, list[str]] = {}
    for user in tags:
        for name in user.depends_on:
            users.setdefault(name, []).append(f"{user.name} ({user.status})")
    merging = merges(run, by_name)
    cold = sorted(run.catalog.cold)
    found = []
    for name in [*cold, *sorted(set(merging) - set(cold))]:
        tag = by_name.get(name)
        if tag is None:  # removed from the catalog since the run
            continue
        candidate = _candidate(tag, run.tags.get(name), tuple(sorted(users.get(name, ()))))
        survivor, why = merging.get(name, (None, None))
        found.append(replace(candidate, cold=name in cold, survivor=survivor, why=why))
    return found


def merges(run: KpiRun, tags: Mapping[str, Tag]) -> dict[str, tuple[str, str]]:
    """Live tags that should go as redundant: name -> (survivor, why).

    The survivor is the other tag of the pair with the highest Jaccard that
    names the tag as the one to go (its `redundant` alert), when that tag is
    live too.
    """
    if run.catalog.redundancy is None:
        return {}
    found: dict[str, tuple[str, str]] = {}
    for name, kpi in sorted(run.tags.items()):
        alert = next((a for a in kpi.alerts if a.code == "redundant"), None)
        tag = tags.get(name)
        if alert is None or tag is None or tag.status in ENDED:
            continue
        survivor = _survivor(run.catalog.redundancy.pairs, name, tags)
        if survivor is not None:
            found[name] = (survivor, alert.message)
    return found


def _survivor(pairs: Sequence[Overlap], name: str, tags: Mapping[str, Tag]) -> str | None:
    for pair in pairs:  # highest Jaccard first
        if name in pair.tags:
            other = pair.tags[1] if pair.tags[0] == name else pair.tags[0]
            if other in tags and tags[other].status not in ENDED:
                return other
    return None


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
        f"# Cleanup review of {catalog}: the cold tags and merge candidates of the KPI run"
        f" of {as_of[:10]}.",
        "# Merge candidates (one audience with another tag) come with a suggested",
        "# replaced_by and the command that would deprecate them alone.",
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
    merge = []
    if c.survivor is not None:
        command = ["tagctl", "deprecate", c.name, "--replaced-by", c.survivor]
        command += ["--reason", f"merged into {c.survivor}"]
        merge = [f"    merge: {_text(c.why)}", f"    command: {_text(shlex.join(command))}"]
    return [
        f"  {_text(c.name)}:",
        "    decision:            # deprecate | keep",
        "    reason:",
        f"    replaced_by: {_text(c.survivor)}" if c.survivor else "    replaced_by:",
        "    sunset:",
        f"    cold: {'true' if c.cold else 'false'}",
        *merge,
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
