"""`tagctl diff --against REF` and `tagctl codeowners`: the git-facing review of a change."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from tagctl.cli.options import (
    CatalogOption,
    ColorOption,
    ConfigOption,
    OutputOption,
    check_format,
    checked_output,
    open_output,
)
from tagctl.errors import EXIT_FINDINGS, UsageError

DIFF_EPILOG = """Examples:

\b
  tagctl diff --against origin/main          # what a pull request changes
  tagctl diff --against v2.3.0 --format json # for a program
  tagctl diff --against origin/main -f markdown > comment.md
  tagctl diff --against origin/main --fail-on breaking   # CI: exit 1 on a breaking change
  git fetch --depth=1 origin main            # first, in a shallow CI clone
"""

CODEOWNERS_EPILOG = """Examples:

\b
  tagctl codeowners                                   # print it
  tagctl codeowners --out .github/CODEOWNERS          # write it (atomically)
"""

AgainstOption = typer.Option(
    "--against", metavar="REF", help="Git ref to compare with (branch, tag or commit)."
)


def register(app: typer.Typer) -> None:
    app.command(epilog=DIFF_EPILOG)(diff)
    app.command(epilog=CODEOWNERS_EPILOG)(codeowners)


def diff(
    against: Annotated[str, AgainstOption],
    catalog: Annotated[Path | None, CatalogOption] = None,
    config: Annotated[Path | None, ConfigOption] = None,
    fmt: Annotated[
        str, typer.Option("--format", "-f", metavar="FORMAT", help="text, json or markdown.")
    ] = "text",
    output: Annotated[Path | None, OutputOption] = None,
    color: Annotated[bool | None, ColorOption] = None,
    fail_on: Annotated[
        str | None,
        typer.Option(
            "--fail-on",
            metavar="breaking",
            help="Exit 1 when a change is breaking (the diff is printed all the same).",
        ),
    ] = None,
) -> None:
    """Show how the catalog changed since a git ref, and which changes are breaking.

    Tags added, removed, renamed (`renamed_from`) and changed, whether each
    change is breaking, and the version bump it requires against the one it got.

    The ref is read through git; in a shallow clone fetch it first. Exit 0
    (the diff informs; `tagctl lint --against REF` enforces the version
    rules), 1 with --fail-on breaking when a change is breaking, 2 for a
    usage error such as a missing ref or a folder outside a git repository.

    JSON: {against, commit, summary: {added, removed, renamed, changed,
    breaking, required_bump, version_problems}, changes: [{name, kind,
    previous_name, path, previous_path, breaking, reasons: [...], version:
    {base, current, bump, required, ok}, status: {base, current, allowed},
    fields: [{field, level, detail}]}], unreadable: [{path, side, reason}]}.
    Levels and bumps are none, patch, minor or major; bump may also be
    "down", or null when a version is unreadable.
    """
    # lazy: a command loads only what it runs, so that start-up stays fast
    from tagctl.catalog.config import load_catalog_config
    from tagctl.changes.diff import diff_against
    from tagctl.formats.diff import FORMATS, render_diff

    check_format(fmt, FORMATS)
    if fail_on not in (None, "breaking"):
        raise UsageError(f"--fail-on: '{fail_on}' is not breaking")
    settings = load_catalog_config(catalog, config)
    result = diff_against(settings, against)
    with open_output(output) as stream:
        render_diff(result, fmt, stream, color)
    if fail_on == "breaking" and result.breaking:
        raise typer.Exit(EXIT_FINDINGS)


def codeowners(
    catalog: Annotated[Path | None, CatalogOption] = None,
    config: Annotated[Path | None, ConfigOption] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            metavar="FILE",
            help="Write to FILE instead of stdout; its missing folders are created.",
            callback=checked_output,
        ),
    ] = None,
) -> None:
    """Generate a CODEOWNERS file from the tags' business and data owners.

    One line per tag file, its path from the repository top, sorted, under a
    header saying the file is generated: with branch protection requiring
    code-owner review, a tag's owners approve every change to it. Exit 0,
    or 2 outside a git repository or when FILE is a directory.
    """
    # lazy: a command loads only what it runs, so that start-up stays fast
    from tagctl.catalog.config import load_catalog_config
    from tagctl.catalog.tags import load_tags
    from tagctl.changes.codeowners import codeowners as build
    from tagctl.fsutil import make_parent
    from tagctl.git import Repository

    settings = load_catalog_config(catalog, config)
    repo = Repository.find(settings.root)
    tags, _ = load_tags(settings)
    text = build(tags, lambda tag: repo.relative(tag.path))
    if out is None:
        sys.stdout.write(text)
        return
    make_parent(out)
    with open_output(out) as stream:
        stream.write(text)
    sys.stderr.write(f"tagctl: wrote {out} ({len(tags)} tags)\n")
