"""Planning `tagctl retire`: deprecated tags whose sunset has passed.

A tag is retired when it is deprecated, its sunset date is before today,
and no tag that is not retired depends on it. Dependents are not only
online tags: a deprecated or draft tag that still reads the retired tag's
values would break too (TG304 reports any dependency on a retired tag).
Tags retired in the same run do not hold each other back.

Named tags that cannot be retired refuse the whole run (exit 1); without
names every deprecated tag is considered, and those not yet due are listed
as skipped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from tagctl.catalog.tags import Tag
from tagctl.edit.plan import Catalog, Plan, record
from tagctl.edit.tagtext import retire_text


def plan_retirements(catalog: Catalog, names: Sequence[str], today: dt.date) -> Plan:
    """What retiring `names` (or every deprecated tag when none) changes."""
    plan = Plan()
    if names:
        chosen = [catalog.get(name) for name in dict.fromkeys(names)]
    else:
        chosen = [tag for tag in catalog.tags.values() if tag.status == "deprecated"]
    due: dict[str, Tag] = {}
    why: dict[str, str] = {}
    for tag in sorted(chosen, key=lambda t: t.name):
        if tag.status == "retired":
            plan.notes.append(f"{tag.name} is already retired; nothing to do")
            continue
        reason = not_due(tag, today)
        if reason:
            why[tag.name] = reason
        else:
            due[tag.name] = tag
    why.update(_held_back(catalog, due))
    for name in sorted(why):
        if names:
            plan.refusals.append(f"{name}: {why[name]}")
        else:
            plan.notes.append(f"skipped {name}: {why[name]}")
    for tag in due.values():
        before = catalog.read(tag)
        with catalog.editing(tag):
            edit = retire_text(before, today)
        record(catalog, plan, tag, before, edit, "retired")
    return plan


def not_due(tag: Tag, today: dt.date) -> str:
    """Why `tag` cannot be retired today on its own account; empty when it can."""
    if tag.status != "deprecated":
        return f"status is {tag.status}, not deprecated (deprecate it first)"
    if not tag.sunset:
        return "no sunset date in its deprecation block"
    try:
        sunset = dt.date.fromisoformat(tag.sunset)
    except ValueError:
        return f"sunset '{tag.sunset}' is not a date"
    if sunset >= today:
        return f"sunset {tag.sunset} has not passed"
    return ""


def _held_back(catalog: Catalog, due: dict[str, Tag]) -> dict[str, str]:
    """Remove from `due` the tags that live tags still depend on, until none is left to remove."""
    why: dict[str, str] = {}
    changed = True
    while changed:
        changed = False
        for name in list(due):
            holding = [
                other
                for other in catalog.dependents(name)
                if catalog.tags[other].status != "retired" and other not in due
            ]
            if holding:
                why[name] = f"still a dependency of {', '.join(holding)}"
                del due[name]
                changed = True
    return why
