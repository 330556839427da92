"""Options shared by several commands."""

from __future__ import annotations

import typer

Paths = typer.Argument(
    metavar="[PATHS]...",
    help="Tag files or folders; default: the whole catalog.",
    show_default=False,
)
CatalogOption = typer.Option(
    "--catalog",
    "-C",
    metavar="DIR",
    help="Catalog folder (holding tagctl.yaml). Default: found by walking up from here.",
)
ConfigOption = typer.Option(
    "--config",
    metavar="FILE",
    help="Extra config file merged over tagctl.yaml (for CI-only settings).",
)
OutputOption = typer.Option(
    "--output", "-o", metavar="FILE", help="Write the output to FILE instead of stdout."
)
FormatOption = typer.Option("--format", "-f", help="text, json, sarif or github.")
ColorOption = typer.Option(
    "--color/--no-color", help="Force colour on or off (default: on a terminal)."
)
