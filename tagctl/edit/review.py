"""The cleanup review sheet: the reviewers' decisions, read by `deprecate --from`.

`tagctl cleanup --out review.yaml` writes the sheet and reviewers fill in
the decisions. The format, a YAML mapping:

    # Cleanup review of tag-catalog, KPI run of 2026-11-23.
    # Set each decision to deprecate or keep; a deprecation needs a reason.
    generated_at: 2026-11-23          # any top-level key but `tags` is ignored
    tags:
      visit_store_7d:                 # the tag's name
        decision: deprecate           # deprecate | keep | empty (undecided)
        reason: merged into visit_store_30d   # required when decision is deprecate
        replaced_by: visit_store_30d  # optional: a live tag
        sunset: 2027-03-01            # optional: default today + 90 days
        coverage: 0.004               # anything else (KPIs, dependents, owners,
        dependents: []                # notes) is for the reviewers and is ignored
      search_product_1d:
        decision: keep
        reason: needed by the spring campaign

`tags` may also be a list of such mappings, each naming its tag with
`name:`. Tags marked `keep` and undecided ones are left alone and listed;
an unknown decision, a deprecation without a reason, a sunset that is not a
date or a tag named twice is a usage error (exit 2) pointing at its line.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tagctl.catalog.positions import locate_all
from tagctl.catalog.reader import read_source
from tagctl.catalog.source import JsonPath, Source
from tagctl.errors import UsageError

DECISIONS = ("deprecate", "keep")


@dataclass(frozen=True)
class Decision:
    """One tag's row of the sheet."""

    name: str
    decision: str | None  # deprecate, keep, or None: undecided
    reason: str | None = None
    replaced_by: str | None = None
    sunset: dt.date | None = None


def read_review(path: Path) -> list[Decision]:
    """The decisions of the sheet at `path`, in its order."""
    source = read_source(path)
    problem = source.problem
    if problem is not None:
        raise UsageError(problem.message, path=path, line=problem.line, column=problem.column)
    tags = source.data.get("tags")
    if not isinstance(tags, (dict, list)):
        raise _error(source, ("tags",) if "tags" in source.data else (), "no `tags:` list of tags")
    decisions: list[Decision] = []
    seen: set[str] = set()
    for where, name, row in _rows(source, tags):
        if name in seen:
            raise _error(source, where, f"tag {name} is named twice")
        seen.add(name)
        decisions.append(_decision(source, where, name, row))
    return decisions


def _rows(source: Source, tags: Any) -> Iterator[tuple[JsonPath, str, dict[str, Any]]]:
    items = tags.items() if isinstance(tags, dict) else enumerate(tags)
    for key, row in items:
        where: JsonPath = ("tags", key)
        if not isinstance(row, dict):
            raise _error(source, where, "each tag is a mapping with a decision")
        name = key if isinstance(tags, dict) else row.get("name")
        if not isinstance(name, str) or not name:
            raise _error(source, where, "a tag without a name")
        yield where, name, row


def _decision(source: Source, where: JsonPath, name: str, row: dict[str, Any]) -> Decision:
    decision = row.get("decision")
    if decision in (None, ""):
        return Decision(name, None)
    if decision not in DECISIONS:
        raise _error(
            source, (*where, "decision"), f"decision '{decision}' is not deprecate or keep"
        )
    reason = _text(source, where, row, "reason")
    if decision == "deprecate" and not reason:
        raise _error(source, where, f"{name}: a deprecation needs a reason")
    return Decision(
        name,
        str(decision),
        reason,
        _text(source, where, row, "replaced_by"),
        _date(source, where, row),
    )


def _text(source: Source, where: JsonPath, row: dict[str, Any], key: str) -> str | None:
    value = row.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise _error(source, (*where, key), f"{key} must be text")
    return value.strip() or None


def _date(source: Source, where: JsonPath, row: dict[str, Any]) -> dt.date | None:
    value = row.get("sunset")
    if value is None or value == "":
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise _error(source, (*where, "sunset"), f"sunset '{value}' is not a date") from None


def _error(source: Source, where: JsonPath, message: str) -> UsageError:
    request = (where, False)
    line, column = locate_all(source.text, [request])[request]
    return UsageError(message, path=source.path, line=line, column=column)
