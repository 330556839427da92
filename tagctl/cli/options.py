"""Options shared by several commands."""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

import typer

from tagctl.errors import UsageError

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


def checked_output(path: Path | None) -> Path | None:
    """An output path that can be written (see tagctl.fsutil), checked before any work."""
    if path is not None:
        # lazy: tempfile and friends cost start-up; only an output file needs them
        from tagctl.fsutil import output_target

        output_target(path)
    return path


OutputOption = typer.Option(
    "--output",
    "-o",
    metavar="FILE",
    help="Write the output to FILE instead of stdout (a device or pipe is written through).",
    callback=checked_output,
)
FormatOption = typer.Option("--format", "-f", help="text, json, sarif or github.")
ColorOption = typer.Option(
    "--color/--no-color", help="Force colour on or off (default: on a terminal)."
)


def check_format(fmt: str, allowed: list[str]) -> None:
    if fmt not in allowed:
        raise UsageError(f"unknown format '{fmt}' (choose from {', '.join(allowed)})")


@contextmanager
def open_output(path: Path | None) -> Iterator[TextIO]:
    """stdout, or the output file `path`: replaced atomically, or written through when
    it is a device or a pipe; a directory is refused (exit 2)."""
    if path is None:
        yield sys.stdout
        return
    # lazy: tempfile and friends cost start-up; only an output file needs them
    from tagctl.fsutil import output_writer

    with output_writer(path) as stream:
        yield stream


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for one batch of work.

    A KPI run or a 10,000-tag report allocates millions of small objects
    (compiled SQL, the document, the page), hardly any in reference cycles;
    the collector's repeated passes over them cost up to a third of the run.
    """
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
