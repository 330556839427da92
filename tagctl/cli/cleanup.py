"""`tagctl cleanup`: the review sheet of cold tags, from the last saved KPI run."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tagctl.cli.options import CatalogOption, ConfigOption
from tagctl.errors import UsageError

CLEANUP_EPILOG = """Examples:

\b
  tagctl kpi --save                         # a KPI run to review
  tagctl cleanup --out review.yaml          # the sheet: set each decision
  tagctl deprecate --from review.yaml --dry-run
  tagctl deprecate --from review.yaml
"""


def register(app: typer.Typer) -> None:
    app.command(epilog=CLEANUP_EPILOG)(cleanup)


def cleanup(
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", "-o", metavar="FILE", help="Write the sheet to FILE (default: stdout)."
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite FILE even though it exists.")
    ] = False,
    catalog: Annotated[Path | None, CatalogOption] = None,
    config: Annotated[Path | None, ConfigOption] = None,
) -> None:
    """Write the cleanup review sheet: the cold tags and merge candidates of the last saved run.

    Cold: online, coverage under kpi.cold.max_coverage, at most
    kpi.cold.max_uses uses in the window. Merge candidate: a live tag that is
    one audience with another, with that survivor as replaced_by and the
    exact tagctl deprecate line. Each comes with its KPIs, owners and
    dependents, and an empty decision for the reviewers.

    An existing sheet is never overwritten without --force: it may hold
    decisions. A device or a pipe is written through. Exit 0 when written, 2
    when there is no saved run, the file exists, or FILE is a directory.
    """
    # lazy: command modules load at start-up (for --help), their libraries when they run
    from tagctl.catalog.config import load_catalog_config
    from tagctl.fsutil import output_writer  # lazy: as load_catalog_config
    from tagctl.kpi.cleanup import cleanup_review  # lazy: it imports sqlalchemy (0.3 s)

    if out is not None:
        _check_out(out, force)
    settings = load_catalog_config(catalog, config)
    review = cleanup_review(settings, "cleanup")
    if out is None:
        typer.echo(review.sheet, nl=False)
        return
    with output_writer(out) as stream:
        stream.write(review.sheet)
    count, merges = review.tags, review.merges
    listed = f"{count} cold tag{'' if count == 1 else 's'}"
    if merges:
        listed += f" and {merges} merge candidate{'' if merges == 1 else 's'}"
    typer.echo(f"{out}: {listed} to review", err=True)


def _check_out(out: Path, force: bool) -> None:
    """Refuse a directory, and a sheet that exists unless --force: it may hold decisions."""
    from tagctl.fsutil import output_target  # lazy: kept off the start-up path

    target = output_target(out)
    if target.path.exists() and not target.stream and not force:
        raise UsageError(f"{out} exists and may hold decisions; use --force to overwrite it")
