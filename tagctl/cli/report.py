"""`tagctl report`: the HTML report, from a fresh KPI run or from history."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tagctl.cli.kpi import (
    AsOfOption,
    FailOnOption,
    SaveOption,
    TagsOption,
    WarehouseOption,
    WindowOption,
    check_fail_on,
    fails,
    kpi_request,
    measure,
    split_names,
)
from tagctl.cli.notifying import (
    NotifyOnOption,
    NotifyOption,
    announce,
    check_notify_on,
    notify_channels,
)
from tagctl.cli.options import CatalogOption, ConfigOption, collector_paused
from tagctl.errors import EXIT_FINDINGS, UsageError

REPORT_EPILOG = """Examples:

\b
  tagctl report --out report.html                   # measure now, all role views
  tagctl report --out /srv/reports/tags-{date}.html --save    # nightly, from cron
  tagctl report --out exec.html --role executive --lang en
  tagctl report --out report.html --from-history    # the last saved run; no warehouse
  tagctl report --out tags-{date}.html --notify ops  # and post the headline to notify.ops

\b
A crontab line:
  0 6 * * *  cd /srv/tag-catalog && tagctl report --save --out /srv/reports/tags-{date}.html
"""


def register(app: typer.Typer) -> None:
    app.command(epilog=REPORT_EPILOG)(report)


def report(
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            "-o",
            metavar="FILE",
            help="The HTML file to write; {date} and {datetime} become the run's as_of.",
        ),
    ],
    catalog: Annotated[Path | None, CatalogOption] = None,
    config: Annotated[Path | None, ConfigOption] = None,
    role: Annotated[
        str | None,
        typer.Option(
            "--role",
            metavar="ROLE",
            help=(
                "admin, operator, executive or all, or a view's title: Administration "
                "(标签管理), Operations (业务运营), Management (管理层) (default: report.roles)."
            ),
        ),
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option("--lang", metavar="LANG", help="zh or en (default: report.lang)."),
    ] = None,
    from_history: Annotated[
        bool,
        typer.Option(
            "--from-history",
            help="Render the last saved run without touching the warehouse.",
        ),
    ] = False,
    save: Annotated[bool, SaveOption] = False,
    fail_on: Annotated[str | None, FailOnOption] = None,
    as_of: Annotated[str | None, AsOfOption] = None,
    window: Annotated[int | None, WindowOption] = None,
    tags: Annotated[list[str] | None, TagsOption] = None,
    warehouse: Annotated[str | None, WarehouseOption] = None,
    notify: Annotated[list[str] | None, NotifyOption] = None,
    notify_on: Annotated[str | None, NotifyOnOption] = None,
) -> None:
    """Render the self-contained HTML report: the role views of tag
    administration, operations and management, the cleanup candidates, and
    a detail entry for every tag.

    The file is written atomically: a run that fails leaves the previous
    report in place. Prints the path written. Exit 0 when done, 1 when
    --fail-on finds alerts (the report is still written), 2 for a usage or
    configuration error, 3 when the warehouse or the file write fails. A
    --notify chat that fails is a warning on stderr: the exit code stays the
    run's.
    """
    # lazy: command modules load at start-up (for --help), their libraries when they run
    from tagctl.catalog.config import load_catalog_config
    from tagctl.report.publish import check_out, publish  # lazy: jinja2, sqlalchemy (0.4 s)

    names = split_names(notify)
    check_fail_on(fail_on)
    check_notify_on(names, notify_on)
    _check_choices(role, lang, from_history, save, as_of, window, tags, warehouse)
    check_out(out)  # a bad placeholder, a directory or socket: before measuring (and saving)
    settings = load_catalog_config(catalog, config)
    chats = notify_channels(settings, names)
    with collector_paused():
        measured = None
        if not from_history:
            measured = measure(kpi_request(settings, as_of, window, tags, warehouse), save)
        published = publish(settings, out, measured.run if measured else None, lang, role)
    typer.echo(str(published.path))
    saved = measured.run_id if measured else None
    where = published.path
    announce(settings, chats, published.run, "report", notify_on, lang, saved, where)
    if fail_on is not None and fails(published.run.level(), fail_on):
        raise typer.Exit(EXIT_FINDINGS)


def _check_choices(
    role: str | None,
    lang: str | None,
    from_history: bool,
    save: bool,
    *measuring: object,
) -> None:
    # lazy: command modules load at start-up (for --help), the report's modules when it runs
    from tagctl.report.build import role_choices, role_named

    if role is not None and role_named(role) is None:
        raise UsageError(f"--role: '{role}' is not {role_choices()}")
    if lang not in (None, "zh", "en"):
        raise UsageError(f"--lang: '{lang}' is not zh or en")
    if from_history and (save or any(value for value in measuring)):
        raise UsageError(
            "--from-history renders a saved run: it takes no --save, --as-of, --window, "
            "--tags or --warehouse"
        )
