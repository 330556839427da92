"""`tagctl report`: the HTML report, from a fresh KPI run or from history."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

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
)
from tagctl.cli.options import CatalogOption, ConfigOption, collector_paused
from tagctl.errors import EXIT_FINDINGS, UsageError

if TYPE_CHECKING:
    from tagctl.catalog.config import Config
    from tagctl.report.build import ReportHistory

REPORT_EPILOG = """Examples:

\b
  tagctl report --out report.html                   # measure now, all role views
  tagctl report --out /srv/reports/tags-{date}.html --save    # nightly, from cron
  tagctl report --out exec.html --role executive --lang en
  tagctl report --out report.html --from-history    # the last saved run; no warehouse

\b
A crontab line:
  0 6 * * *  cd /srv/tag-catalog && tagctl report --save --out /srv/reports/tags-{date}.html
"""

PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


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
            help="admin, operator, executive or all (default: report.roles).",
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
) -> None:
    """Render the self-contained HTML report: the role views of tag
    administration, operations and management, the cleanup candidates, and
    a detail entry for every tag.

    The file is written atomically: a run that fails leaves the previous
    report in place. Prints the path written. Exit 0 when done, 1 when
    --fail-on finds alerts (the report is still written), 2 for a usage or
    configuration error, 3 when the warehouse or the file write fails.
    """
    from tagctl.catalog.config import load_catalog_config

    check_fail_on(fail_on)
    _check_choices(role, lang, from_history, save, as_of, window, tags, warehouse)
    if expand(out, "2000-01-01T00:00:00") == out:  # a bad placeholder fails before any work
        from tagctl.fsutil import output_target

        output_target(out)  # and a directory or socket before measuring (and saving)
    settings = load_catalog_config(catalog, config)
    with collector_paused():
        if from_history:
            document, history = _saved(settings, "--from-history")
        else:
            document = _fresh_document(settings, save, as_of, window, tags, warehouse)
            history = _saved(settings)[1]
        path = _write(settings, document, history, out, role, lang)
    typer.echo(str(path))
    if fail_on is not None and fails(_level(document), fail_on):
        raise typer.Exit(EXIT_FINDINGS)


def _check_choices(
    role: str | None,
    lang: str | None,
    from_history: bool,
    save: bool,
    *measuring: object,
) -> None:
    if role not in (None, "admin", "operator", "executive", "all"):
        raise UsageError(f"--role: '{role}' is not admin, operator, executive or all")
    if lang not in (None, "zh", "en"):
        raise UsageError(f"--lang: '{lang}' is not zh or en")
    if from_history and (save or any(value for value in measuring)):
        raise UsageError(
            "--from-history renders a saved run: it takes no --save, --as-of, --window, "
            "--tags or --warehouse"
        )


def _fresh_document(
    settings: Config,
    save: bool,
    as_of: str | None,
    window: int | None,
    tags: list[str] | None,
    warehouse: str | None,
) -> dict[str, Any]:
    return measure(kpi_request(settings, as_of, window, tags, warehouse), save).document()


def saved_document(settings: Config, flag: str) -> dict[str, Any]:
    """The KPI document of the last saved run; a usage error naming `flag` when there is none."""
    return _saved(settings, flag, trends=False)[0]


def _saved(
    settings: Config, flag: str | None = None, trends: bool = True
) -> tuple[dict[str, Any], ReportHistory]:
    """From one opening of the history store: the last saved document, when `flag`
    asks for it (a usage error naming `flag` when there is none), and the trends."""
    from tagctl.kpi.history import open_history
    from tagctl.kpi.masking import masked
    from tagctl.kpi.settings import history_settings
    from tagctl.report.build import ReportHistory

    store = history_settings(settings)
    with open_history(store.url) as history:
        document = history.document() if flag is not None else {}
        if document is None:
            raise UsageError(
                f"{flag}: no saved run in {masked(store.url)}; "
                "run `tagctl kpi --save` (or `tagctl report --save`) first"
            )
        if not trends:
            return document, ReportHistory()
        coverage = history.trends(columns=("coverage",))
        return document, ReportHistory(history.summaries(), coverage)


def _write(
    settings: Config,
    document: dict[str, Any],
    history: ReportHistory,
    out: Path,
    role: str | None,
    lang: str | None,
) -> Path:
    from tagctl.catalog.tags import load_tags
    from tagctl.fsutil import make_parent, output_writer
    from tagctl.report.build import build_report, report_options
    from tagctl.report.render import render_report

    tags, _ = load_tags(settings)
    options = report_options(settings, lang, role)
    html = render_report(build_report(document, tags, settings, options, history))
    path = expand(out, document["as_of"])
    make_parent(path)
    with output_writer(path) as stream:
        stream.write(html)
    return path.absolute()


def expand(out: Path, as_of: str) -> Path:
    """`out` with {date} and {datetime} replaced by the run's as_of."""
    values = {"date": as_of[:10], "datetime": as_of[:16].replace(":", "")}

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            raise UsageError(f"--out: unknown placeholder {{{name}}}; use {{date}} or {{datetime}}")
        return values[name]

    return Path(PLACEHOLDER.sub(replace, str(out)))


def _level(document: dict[str, Any]) -> str | None:
    levels = {alert["level"] for kpi in document["tags"].values() for alert in kpi["alerts"]}
    return "alert" if "alert" in levels else ("warning" if levels else None)
