"""The lifecycle commands as library calls: `deprecate`, `retire`, `apply_plan`.

The CLI parses flags into a request, calls one of these and prints the
plan's notes and diffs; everything that decides is here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from tagctl.catalog.config import Config, refuse_outside_link
from tagctl.edit.gituser import OWNER, default_author
from tagctl.edit.plan import Catalog, DeprecateRequest, Plan, plan_deprecations
from tagctl.edit.review import read_review
from tagctl.edit.tagtext import Deprecation
from tagctl.errors import UsageError

MAX_REASON = 2000  # schemas/tag.schema.json, deprecation.reason


@dataclass(frozen=True)
class DeprecateOptions:
    """`tagctl deprecate`'s flags: tags and a reason, or a review sheet."""

    today: dt.date
    names: Sequence[str] = ()
    reason: str | None = None
    replaced_by: str | None = None
    sunset: dt.date | None = None
    by: str | None = None
    review: Path | None = None
    force: bool = False


def deprecate(config: Config, options: DeprecateOptions) -> Plan:
    """The plan of a deprecation, from flags or from a review sheet."""
    by = _author(config, options.by)
    if options.review is not None:
        refuse_outside_link(options.review, config.root, "--from")
        requests, notes = _from_review(options, by)
    else:
        requests, notes = _from_flags(options, by), []
    for request in requests:
        _check(request.deprecation, options.today)
    plan = plan_deprecations(Catalog(config), requests, options.today, options.force)
    plan.notes[:0] = notes
    return plan


def _from_flags(options: DeprecateOptions, by: str) -> list[DeprecateRequest]:
    if not options.names:
        raise UsageError("name at least one TAG, or give a review sheet with --from")
    if not options.reason or not options.reason.strip():
        raise UsageError("--reason is required: say why the tag goes")
    deprecation = Deprecation(
        options.reason.strip(), by, options.replaced_by or None, options.sunset
    )
    return [DeprecateRequest(name, deprecation) for name in dict.fromkeys(options.names)]


def _from_review(options: DeprecateOptions, by: str) -> tuple[list[DeprecateRequest], list[str]]:
    assert options.review is not None
    if options.names or options.reason or options.replaced_by or options.sunset:
        raise UsageError(
            "--from takes tags, reasons, replacements and sunsets from the sheet; "
            "leave out TAG, --reason, --replaced-by and --sunset"
        )
    requests: list[DeprecateRequest] = []
    notes: list[str] = []
    for row in read_review(options.review):
        if row.decision == "deprecate" and row.reason:
            deprecation = Deprecation(row.reason, by, row.replaced_by, row.sunset)
            requests.append(DeprecateRequest(row.name, deprecation))
        else:
            notes.append(f"skipped {row.name}: {'kept' if row.decision else 'no decision'}")
    return requests, notes


def _author(config: Config, given: str | None) -> str:
    if given is not None:
        if not OWNER.fullmatch(given):
            raise UsageError(f"--by: '{given}' is not an e-mail address or a handle")
        return given
    found = default_author(config.root)
    if found is None:
        raise UsageError("cannot tell who is deprecating: pass --by NAME")
    return found


def _check(deprecation: Deprecation, today: dt.date) -> None:
    if len(deprecation.reason) > MAX_REASON:
        raise UsageError(f"--reason: longer than {MAX_REASON} characters")
    if deprecation.sunset is not None and deprecation.sunset <= today:
        raise UsageError(f"sunset {deprecation.sunset} is not after today ({today})")


def retire(config: Config, names: Sequence[str], today: dt.date) -> Plan:
    """The plan of retiring `names`, or every deprecated tag past its sunset."""
    # lazy: only `retire` needs the retirement planner
    from tagctl.edit.retire import plan_retirements

    return plan_retirements(Catalog(config), names, today)


def apply_plan(config: Config, plan: Plan, today: dt.date, dry_run: bool) -> list[str]:
    """Refuse, validate, then write the plan (unless `dry_run`); the diffs, file by file."""
    # lazy: a refused plan never loads the lint rules and the schema validator
    from tagctl.edit.apply import unified_diff, validate, write
    from tagctl.lint.recheck import FileChecker

    plan.refuse_if_any()
    validate(FileChecker(config, today), plan.edits)
    diffs = [unified_diff(edit) for edit in plan.edits if edit.changed]
    if not dry_run:
        write(plan.edits)
    return diffs
