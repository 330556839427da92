"""`tagctl init`: start a new catalog from an industry template."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Annotated

import typer

INIT_EPILOG = """Examples:

\b
  tagctl init my-catalog                         # the minimal template: a handful of tags
  tagctl init my-catalog --template beauty       # beauty brand, e-commerce and stores
  tagctl init clinic-tags -t medical-aesthetics  # 医美: consultations, injections, aftercare
  tagctl init . --template retail                # into the current folder, if nothing clashes
  cd my-catalog && tagctl lint                   # every template lints clean

\b
Templates: minimal, beauty, medical-aesthetics, health, retail.
"""


def register(app: typer.Typer) -> None:
    app.command(epilog=INIT_EPILOG)(init)


def init(
    directory: Annotated[
        Path,
        typer.Argument(
            metavar="DIR",
            help="Folder of the new catalog; created when missing.",
            show_default=False,
        ),
    ],
    template: Annotated[
        str,
        typer.Option(
            "--template",
            "-t",
            metavar="NAME",
            help="minimal, beauty, medical-aesthetics, health or retail.",
        ),
    ] = "minimal",
) -> None:
    """Create a new catalog in DIR from a template: tagctl.yaml, tags/, README.md,
    .pre-commit-config.yaml and .gitignore.

    Never overwrites: when any of those files already exists, nothing is
    written and the exit code is 2. Exit 0 when done, 2 for an unknown
    template or an existing file, 3 when a file cannot be written.
    """
    # lazy: a command loads only what it runs, so that start-up stays fast
    from tagctl.scaffold.init import init_catalog

    result = init_catalog(directory, template)
    categories = len(result.template.categories())
    typer.echo(
        f"Created {result.root} from the {result.template.name} template: "
        f"{result.tags} tags in {categories} categories, {len(result.files)} files."
    )
    typer.echo(f"Next: cd {shlex.quote(str(result.root))} && tagctl lint")
