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
    """Write the cleanup review sheet: every cold tag of the last saved KPI run
    (online, coverage under kpi.cold.max_coverage, at most kpi.cold.max_uses
    uses in the window) with its KPIs, owners and dependents, and an empty
    decision for the reviewers.

    An existing sheet is never overwritten without --force: it may hold
    decisions. A device or a pipe is written through. Exit 0 when written, 2
    when there is no saved run, the file exists, or FILE is a directory.
    """
    from tagctl.catalog.cleanup import candidates, review_sheet
    from tagctl.catalog.config import load_catalog_config
    from tagctl.catalog.tags import load_tags
    from tagctl.cli.report import saved_document
    from tagctl.fsutil import output_writer

    if out is not None:
        _check_out(out, force)
    settings = load_catalog_config(catalog, config)
    document = saved_document(settings, "cleanup")
    found = candidates(document, load_tags(settings)[0])
    sheet = review_sheet(document, found, settings.name)
    if out is None:
        typer.echo(sheet, nl=False)
        return
    with output_writer(out) as stream:
        stream.write(sheet)
    typer.echo(f"{out}: {len(found)} cold tag{'' if len(found) == 1 else 's'} to review", err=True)


def _check_out(out: Path, force: bool) -> None:
    """Refuse a directory, and a sheet that exists unless --force: it may hold decisions."""
    from tagctl.fsutil import output_target

    target = output_target(out)
    if target.path.exists() and not target.stream and not force:
        raise UsageError(f"{out} exists and may hold decisions; use --force to overwrite it")
