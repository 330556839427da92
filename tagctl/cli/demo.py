"""`tagctl demo`: build the embedded demo warehouse for the catalog."""

from __future__ import annotations

import datetime as dt
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from tagctl.cli.options import CatalogOption
from tagctl.errors import UsageError
from tagctl.isotime import parse_instant

DEMO_EPILOG = """Examples:

\b
  tagctl demo                               # 100,000 users, the default file
  tagctl demo --users 1000000 --seed 42     # bigger, and other data
  tagctl demo --as-of 2026-11-23            # all timestamps before that day
  tagctl demo --layout wide -o wide.duckdb  # one column per tag
"""

MIN_USERS, MAX_USERS = 100, 50_000_000
WIDE_SNIPPET = """\
The wide layout needs this in tagctl.yaml:

warehouse:
  tables:
    tag_values: {layout: wide}"""

Step = Callable[[str, float], None]


def register(app: typer.Typer) -> None:
    app.command(epilog=DEMO_EPILOG)(demo)


def demo(
    users: Annotated[
        int, typer.Option("--users", metavar="N", help="How many users (100 to 50,000,000).")
    ] = 100_000,
    seed: Annotated[
        int, typer.Option("--seed", metavar="S", help="Another seed gives other data.")
    ] = 7,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            metavar="FILE",
            help="The DuckDB file to write. Default: warehouse.url of tagctl.yaml when it is "
            "a DuckDB file, else .tagctl/demo.duckdb in the catalog.",
            show_default=False,
        ),
    ] = None,
    layout: Annotated[
        str,
        typer.Option(
            "--layout",
            metavar="long|wide",
            help="tag_values as one row per user and tag, or one column per tag.",
        ),
    ] = "long",
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            metavar="DATE",
            help="Every timestamp lies before it. Default: the start of today (UTC).",
        ),
    ] = None,
    catalog: Annotated[Path | None, CatalogOption] = None,
) -> None:
    """Build a demo warehouse (DuckDB) that matches the catalog's tags.

    It holds the eight tables of the warehouse contract with facts for
    every KPI to find: sparse and common tags, stale and out-of-domain
    ones, zombies, campaigns with and without lift, a combination of two
    tags with lift, a tag whose holders buy bigger baskets, one whose
    campaigns convert sooner than control, and campaign costs. The same flags give
    the same data. The file is replaced only when the build succeeds; a
    symbolic link is followed and stays a link. Exit 2 when FILE is a
    directory, a device or a pipe; 3 when the folder of warehouse.url is
    missing (only the catalog's .tagctl/ is created).
    """
    # lazy: a command loads only what it runs, so that start-up stays fast
    from tagctl.catalog.config import load_catalog_config
    from tagctl.catalog.tags import load_tags
    from tagctl.demo import LAYOUTS, build_demo
    from tagctl.kpi.settings import demo_path

    if not MIN_USERS <= users <= MAX_USERS:
        raise UsageError(f"--users must be between {MIN_USERS:,} and {MAX_USERS:,}, not {users:,}")
    if layout not in LAYOUTS:
        raise UsageError(f"--layout: unknown layout '{layout}' (choose from {', '.join(LAYOUTS)})")
    moment = _as_of(as_of)
    config = load_catalog_config(catalog)
    configured = demo_path(config).absolute()
    path = out.absolute() if out else configured
    target = _prepared(path, explicit=out is not None)
    tags, skipped = load_tags(config)
    if skipped:
        sys.stderr.write(
            f"tagctl: {len(skipped)} tag files could not be read and get no data"
            " (tagctl lint says why)\n"
        )
    started = time.perf_counter()
    with _progress_bar() as step:
        summary = build_demo(
            tags, target, users=users, seed=seed, as_of=moment, layout=layout, progress=step
        )
    seconds = time.perf_counter() - started
    typer.echo(
        f"demo warehouse: {summary.path} ({summary.users:,} users, {summary.tag_rows:,} tag rows,"
        f" {summary.layout} layout) in {seconds:.1f} s"
    )
    if path != configured:
        typer.echo(f"measure it with: tagctl kpi --warehouse duckdb:///{path}")
    if layout == "wide":
        typer.echo(f"\n{WIDE_SNIPPET}")


def _as_of(text: str | None) -> dt.datetime:
    """--as-of as a timestamp (midnight for a date); by default the start of today, UTC."""
    if text is None:
        return dt.datetime.combine(dt.datetime.now(dt.UTC).date(), dt.time())
    try:
        return parse_instant(text)
    except ValueError as exc:
        raise UsageError(f"--as-of: '{text}' is not a date like 2026-11-23") from exc


def _prepared(path: Path, explicit: bool) -> Path:
    """The file to build for `path`: a DuckDB file or none yet, its symbolic links
    followed (the link stays a link), its folder ready.

    The folders above --out are created; a file named by warehouse.url gets only
    the catalog's `.tagctl/`, any other missing folder is an error.
    """
    # lazy: tempfile and friends cost start-up; only an output file needs them
    from tagctl.fsutil import make_parent, make_state_folder, output_target

    target = output_target(path)
    if target.stream:
        raise UsageError("is a device or a pipe; the demo warehouse is a DuckDB file", path=path)
    if explicit:
        make_parent(target.path)
    else:
        make_state_folder(target.path.parent, "warehouse.url")
    return target.path


@contextmanager
def _progress_bar() -> Iterator[Step | None]:
    """A progress bar on stderr when it is a terminal; nothing otherwise."""
    if not sys.stderr.isatty():
        yield None
        return
    # lazy: rich (about 40 ms) only for the progress bar
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("{task.description:<12}"), BarColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("starting", total=1.0)

        def step(stage: str, fraction: float) -> None:
            bar.update(task, description=stage, completed=fraction)

        yield step
