"""`tagctl kpi`: compute tag KPIs in the warehouse, print them, optionally save them."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from tagctl.cli.notifying import (
    NotifyOnOption,
    NotifyOption,
    announce,
    check_notify_on,
    notify_channels,
)
from tagctl.cli.options import (
    CatalogOption,
    ColorOption,
    ConfigOption,
    OutputOption,
    check_format,
    collector_paused,
    open_output,
)
from tagctl.errors import EXIT_FINDINGS, UsageError
from tagctl.isotime import parse_instant

if TYPE_CHECKING:
    from tagctl.catalog.config import Config
    from tagctl.kpi.compute import KpiRequest
    from tagctl.kpi.measure import Measurement

KPI_EPILOG = """Examples:

\b
  tagctl demo && tagctl kpi                 # the demo warehouse, as a table
  tagctl kpi --format json > kpi.json       # the document of schemas/kpi-result.schema.json
  tagctl kpi --tags skin_type,churn_risk_7d --window 7
  tagctl kpi --as-of 2026-11-01 --save      # record the run: drift and trends next time
  tagctl kpi --save --fail-on alert         # in cron or CI: exit 1 on any alert
  tagctl kpi --save --notify ops            # and post the headline to notify.ops of tagctl.yaml
  tagctl kpi --notify ops,team --notify-on warning   # on a warning too (or: always)
  TAGCTL_WAREHOUSE_URL=postgresql+psycopg://user:pw@host/db tagctl kpi
  tagctl kpi --show-sql > kpi.sql           # what a run sends, for review; nothing executed
  tagctl kpi --show-sql --dialect trino     # compiled for Trino, without connecting
"""


# The options `tagctl kpi` shares with `tagctl report`.
AsOfOption = typer.Option(
    "--as-of", metavar="DATE", help="Measure as of DATE or DATETIME (UTC, ISO 8601). Default: now."
)
WindowOption = typer.Option(
    "--window", metavar="DAYS", help="Window in days (default: kpi.window_days)."
)
TagsOption = typer.Option(
    "--tags", "-t", metavar="NAMES", help="Only these tags (comma-separated)."
)
SaveOption = typer.Option("--save", help="Record the run in the history store.")
FailOnOption = typer.Option(
    "--fail-on",
    metavar="LEVEL",
    help="Exit 1 when any tag has an alert at LEVEL: warning or alert.",
)
WarehouseOption = typer.Option(
    "--warehouse",
    metavar="URL",
    help="SQLAlchemy URL; overrides TAGCTL_WAREHOUSE_URL and warehouse.url.",
)


ShowSqlOption = typer.Option(
    "--show-sql",
    help="Print the statements a run would send, values inlined, and execute nothing"
    " (connects only to probe the tables, unless --dialect is given).",
)
DialectOption = typer.Option(
    "--dialect",
    metavar="NAME",
    help="With --show-sql: compile for NAME without connecting: duckdb, sqlite, postgresql,"
    " mysql, hive (or spark), clickhouse, trino, starrocks, snowflake, bigquery.",
)


def register(app: typer.Typer) -> None:
    app.command(epilog=KPI_EPILOG)(kpi)


def kpi(
    catalog: Annotated[Path | None, CatalogOption] = None,
    config: Annotated[Path | None, ConfigOption] = None,
    as_of: Annotated[str | None, AsOfOption] = None,
    window: Annotated[int | None, WindowOption] = None,
    tags: Annotated[list[str] | None, TagsOption] = None,
    fmt: Annotated[
        str, typer.Option("--format", "-f", metavar="FORMAT", help="table, json or csv.")
    ] = "table",
    output: Annotated[Path | None, OutputOption] = None,
    save: Annotated[bool, SaveOption] = False,
    fail_on: Annotated[str | None, FailOnOption] = None,
    warehouse: Annotated[str | None, WarehouseOption] = None,
    color: Annotated[bool | None, ColorOption] = None,
    show_sql: Annotated[bool, ShowSqlOption] = False,
    dialect: Annotated[str | None, DialectOption] = None,
    notify: Annotated[list[str] | None, NotifyOption] = None,
    notify_on: Annotated[str | None, NotifyOnOption] = None,
) -> None:
    """Compute tag KPIs inside the warehouse: coverage, freshness, quality, usage,
    activation, conversion lift, audience quality and drift.

    Exit 0 when done, 1 when --fail-on finds alerts, 2 for a usage or
    configuration error, 3 when the warehouse fails (connection, missing
    table or column, timeout). A --notify chat that fails is a warning on
    stderr: the exit code stays the run's.
    """
    from tagctl.catalog.config import load_catalog_config  # lazy: 55 ms, not for --help
    from tagctl.formats.kpi import FORMATS, render_kpi  # lazy: 100 ms, not for --help

    names = split_names(notify)
    check_format(fmt, FORMATS)
    check_fail_on(fail_on)
    check_show_sql(show_sql, dialect, save, bool(names))
    check_notify_on(names, notify_on)
    settings = load_catalog_config(catalog, config)
    chats = notify_channels(settings, names)
    if show_sql:
        show_statements(kpi_request(settings, as_of, window, tags, warehouse), dialect, output)
        return
    with collector_paused():
        measured = measure(kpi_request(settings, as_of, window, tags, warehouse), save)
    run = measured.run
    with open_output(output) as stream:
        render_kpi(run, fmt, stream, color)
    announce(settings, chats, run, "kpi", notify_on, run_id=measured.run_id)
    if fail_on is not None and fails(run.level(), fail_on):
        raise typer.Exit(EXIT_FINDINGS)


def kpi_request(
    settings: Config,
    as_of: str | None,
    window: int | None,
    tags: list[str] | None,
    warehouse: str | None,
) -> KpiRequest:
    """The request that the measuring flags describe."""
    from tagctl.kpi.compute import KpiRequest  # lazy: sqlalchemy, 300 ms at start-up

    return KpiRequest(
        config=settings,
        tags=split_names(tags),
        as_of=parse_moment(as_of, "--as-of"),
        window_days=window,
        warehouse_url=warehouse,
    )


def show_statements(request: KpiRequest, dialect: str | None, output: Path | None) -> None:
    """`--show-sql`: print the statements of `request`, compiled; nothing is executed."""
    from tagctl.formats.kpi import render_sql  # lazy: 100 ms, not for --help
    from tagctl.kpi.showsql import show_sql  # lazy: sqlalchemy, 300 ms at start-up

    with collector_paused():
        shown = show_sql(request, dialect)
    with open_output(output) as stream:
        render_sql(shown, stream)


def measure(request: KpiRequest, save: bool) -> Measurement:
    """Measure `request` (`tagctl.kpi.measure`) with a progress bar on a terminal, and say
    where a saved run went."""
    from tagctl.kpi.measure import measure as measure_run  # lazy: sqlalchemy, 300 ms
    from tagctl.kpi.measure import steps  # lazy: as above

    with _progress(steps(save)) as advance:
        measured = measure_run(request, save, advance)
    if measured.run_id is not None:
        sys.stderr.write(f"tagctl: saved run {measured.run_id} to {measured.history}\n")
    return measured


def check_show_sql(show_sql: bool, dialect: str | None, save: bool, notify: bool = False) -> None:
    if dialect is not None and not show_sql:
        raise UsageError("--dialect only goes with --show-sql")
    if show_sql and save:
        raise UsageError("--show-sql executes nothing: there is no run to --save")
    if show_sql and notify:
        raise UsageError("--show-sql executes nothing: there is no run to --notify about")


def check_fail_on(fail_on: str | None) -> None:
    if fail_on not in (None, "warning", "alert"):
        raise UsageError(f"--fail-on: '{fail_on}' is not warning or alert")


def fails(level: str | None, fail_on: str) -> bool:
    """Whether a run whose highest alert level is `level` fails `--fail-on fail_on`."""
    return level is not None and (fail_on == "warning" or level == "alert")


def split_names(values: list[str] | None) -> tuple[str, ...]:
    names: list[str] = []
    for value in values or ():
        names += [name.strip() for name in value.split(",") if name.strip()]
    return tuple(names)


def parse_moment(text: str | None, flag: str) -> dt.datetime | None:
    """A date or date-time flag as a naive UTC datetime."""
    if text is None:
        return None
    try:
        moment = parse_instant(text)
    except ValueError as error:
        raise UsageError(f"{flag}: '{text}' is not a date like 2026-11-23") from error
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment


@contextmanager
def _progress(total: int) -> Iterator[Callable[[str], None]]:
    """A progress bar of the stages on a terminal; silence elsewhere (cron, pipes)."""
    if not sys.stderr.isatty():
        yield lambda stage: None
        return
    from rich.console import Console  # lazy: rich is for a terminal only, not for cron
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn  # lazy: as above

    columns = (TextColumn("{task.description:<10}"), BarColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("connect", total=total)

        def advance(stage: str) -> None:
            bar.update(task, advance=1, description=_NEXT.get(stage, stage))

        yield advance


_NEXT = {
    "connect": "coverage",
    "coverage": "values",
    "values": "usage",
    "usage": "campaigns",
    "campaigns": "save",
    "save": "done",
}
