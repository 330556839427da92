"""Options shared by several commands."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

CatalogOption = typer.Option(
    None, "--catalog", "-C", metavar="DIR",
    help="Catalog folder (holding tagctl.yaml). Default: found by walking up from here.",
)
ConfigOption = typer.Option(
    None, "--config", metavar="FILE",
    help="Extra config file merged over tagctl.yaml (for CI-only settings).",
)
OutputOption = typer.Option(
    None, "--output", "-o", metavar="FILE", help="Write the output to FILE instead of stdout."
)

OptionalPath = Optional[Path]  # noqa: UP045 - typer reads this annotation at run time
