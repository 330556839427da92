"""`tagctl deprecate` and `tagctl retire`: lifecycle edits made in place."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from tagctl.cli.options import CatalogOption, ConfigOption
from tagctl.errors import UsageError

if TYPE_CHECKING:
    from tagctl.catalog.config import Config
    from tagctl.edit.plan import Plan

DEPRECATE_EPILOG = """Examples:

\b
  tagctl deprecate visit_store_7d --reason "merged into visit_store_30d" \\
      --replaced-by visit_store_30d --sunset 2027-03-01
  tagctl deprecate visit_store_7d --reason "too sparse" --dry-run   # show the diff only
  tagctl deprecate --from review.yaml --dry-run    # the decisions of a cleanup review
  tagctl deprecate --from review.yaml              # ...applied
"""

RETIRE_EPILOG = """Examples:

\b
  tagctl retire --dry-run             # which deprecated tags are due, as a diff
  tagctl retire                       # retire every tag past its sunset
  tagctl retire legacy_vip_grade      # just this one (exit 1 if it is not due)
"""

DryRunOption = typer.Option("--dry-run", "-n", help="Print the unified diff; write nothing.")
TodayOption = typer.Option("--today", hidden=True)


def register(app: typer.Typer) -> None:
    app.command(epilog=DEPRECATE_EPILOG)(deprecate)
    app.command(epilog=RETIRE_EPILOG)(retire)


def deprecate(
    tags: Annotated[
        list[str] | None, typer.Argument(metavar="[TAG]...", help="Tags to deprecate.")
    ] = None,
    reason: Annotated[
        str | None, typer.Option("--reason", "-r", metavar="TEXT", help="Why the tag goes.")
    ] = None,
    replaced_by: Annotated[
        str | None,
        typer.Option("--replaced-by", metavar="TAG", help="The live tag to use instead."),
    ] = None,
    sunset: Annotated[
        str | None,
        typer.Option("--sunset", metavar="DATE", help="When it goes. Default: today + 90 days."),
    ] = None,
    by: Annotated[
        str | None,
        typer.Option("--by", metavar="NAME", help="Who decided. Default: git user.email."),
    ] = None,
    review: Annotated[
        Path | None,
        typer.Option("--from", metavar="REVIEW.yaml", help="Apply a cleanup review sheet."),
    ] = None,
    dry_run: Annotated[bool, DryRunOption] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Deprecate even while online tags depend on it.")
    ] = False,
    catalog: Annotated[Path | None, CatalogOption] = None,
    config: Annotated[Path | None, ConfigOption] = None,
    today: Annotated[str | None, TodayOption] = None,
) -> None:
    """Deprecate tags in place: status, deprecation block, minor version, changelog.

    Only those fields change; comments, quoting and layout stay as they are,
    and the result must pass lint before it is written (atomically). Refuses
    while online tags depend on a target, unless --force. Running it again
    changes nothing. Exit 0 when done, 1 when refused, 2 for a usage error
    (unknown tag, bad --replaced-by or date).
    """
    # lazy: a command loads only what it runs, so that start-up stays fast
    from tagctl.catalog.config import load_catalog_config
    from tagctl.edit.lifecycle import DeprecateOptions
    from tagctl.edit.lifecycle import deprecate as plan_deprecation

    settings = load_catalog_config(catalog, config)
    day = _date(today, "--today") or dt.date.today()
    options = DeprecateOptions(
        today=day,
        names=tuple(tags or ()),
        reason=reason,
        replaced_by=replaced_by,
        sunset=_date(sunset, "--sunset"),
        by=by,
        review=review,
        force=force,
    )
    _run(settings, plan_deprecation(settings, options), day, dry_run)


def retire(
    tags: Annotated[
        list[str] | None,
        typer.Argument(metavar="[TAG]...", help="Tags to retire. Default: every one that is due."),
    ] = None,
    dry_run: Annotated[bool, DryRunOption] = False,
    catalog: Annotated[Path | None, CatalogOption] = None,
    config: Annotated[Path | None, ConfigOption] = None,
    today: Annotated[str | None, TodayOption] = None,
) -> None:
    """Retire deprecated tags whose sunset has passed and that no live tag depends on.

    Sets status: retired, bumps the minor version and adds a changelog
    entry, in place. Without TAG every deprecated tag is considered and the
    ones not yet due are listed as skipped. Exit 0 when done, 1 when a named
    tag cannot be retired, 2 for a usage error.
    """
    # lazy: a command loads only what it runs, so that start-up stays fast
    from tagctl.catalog.config import load_catalog_config
    from tagctl.edit.lifecycle import retire as plan_retirement

    settings = load_catalog_config(catalog, config)
    day = _date(today, "--today") or dt.date.today()
    _run(settings, plan_retirement(settings, tuple(tags or ()), day), day, dry_run)


def _run(settings: Config, plan: Plan, day: dt.date, dry_run: bool) -> None:
    """Apply the plan; the diff on stdout in a dry run (notes on stderr), else notes on stdout."""
    # lazy: a command loads only what it runs, so that start-up stays fast
    from tagctl.edit.lifecycle import apply_plan

    diffs = apply_plan(settings, plan, day, dry_run)
    notes = plan.notes + [edit.note for edit in plan.edits if edit.changed]
    if dry_run:
        sys.stdout.write("".join(diffs))
        for note in notes:
            sys.stderr.write(f"tagctl: {note}\n")
        sys.stderr.write("tagctl: dry run, nothing written\n")
        return
    for note in notes:
        typer.echo(note)
    if not plan.edits:
        typer.echo("nothing to change")


def _date(text: str | None, flag: str) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise UsageError(f"{flag}: '{text}' is not a date like 2026-11-23") from error
