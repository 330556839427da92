"""Publishing the report: from a KPI run and the history to the HTML file.

`publish` is all of `tagctl report` but its flags: it reads the history
store once (the last saved run when no fresh run is given, and the trends),
builds and renders the report, and writes it atomically to the file named
by `--out`, whose `{date}` and `{datetime}` become the run's as_of. A run
that fails leaves the previous report in place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from tagctl.catalog.config import Config
from tagctl.catalog.tags import load_tags
from tagctl.errors import UsageError
from tagctl.fsutil import make_parent, output_target, output_writer
from tagctl.isotime import PLACEHOLDER, stamps
from tagctl.kpi.history import no_saved_run, open_history
from tagctl.kpi.result import KpiRun, iso
from tagctl.kpi.settings import history_settings
from tagctl.report.build import ReportHistory, build_report, report_options
from tagctl.report.render import render_report

ASKER = "--from-history"  # what the error names when history holds no run to show


@dataclass(frozen=True)
class Published:
    path: Path  # the file written, absolute
    run: KpiRun  # the run it shows


def publish(
    config: Config,
    out: Path,
    run: KpiRun | None = None,
    lang: str | None = None,
    role: str | None = None,
) -> Published:
    """Write the report of `run`, or of the last saved run (a usage error without one).

    `lang` and `role` override `report.lang` and `report.roles` of tagctl.yaml.
    """
    shown, history = _read_history(config, run)
    tags, _ = load_tags(config)
    options = report_options(config, lang, role)
    html = render_report(build_report(shown, tags, config, options, history))
    path = expand(out, iso(shown.as_of))
    make_parent(path)
    with output_writer(path) as stream:
        stream.write(html)
    return Published(path.absolute(), shown)


def as_saved(run: KpiRun) -> KpiRun:
    """`run` as its JSON document reads back (numbers to six significant digits), so that
    the report of a fresh run and of the same run from history are the same bytes."""
    return KpiRun.from_document(run.document())


def check_out(out: Path) -> None:
    """Refuse a bad placeholder in `out`, and a directory or socket, before any work."""
    if expand(out, "2000-01-01T00:00:00") == out:  # no placeholder: the file is known now
        output_target(out)


def expand(out: Path, as_of: str) -> Path:
    """`out` with {date} and {datetime} replaced by the run's as_of."""
    values = stamps(as_of)

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            raise UsageError(f"--out: unknown placeholder {{{name}}}; use {{date}} or {{datetime}}")
        return values[name]

    return Path(PLACEHOLDER.sub(replace, str(out)))


def _read_history(config: Config, run: KpiRun | None) -> tuple[KpiRun, ReportHistory]:
    """From one opening of the history store: the run to show (`run` as saved, or else
    the last saved run: a usage error when there is none), and the trends."""
    url = history_settings(config).url
    with open_history(url) as history:
        shown = history.run() if run is None else as_saved(run)
        if shown is None:
            raise no_saved_run(ASKER, url)
        return shown, ReportHistory(history.summaries(), history.trends(columns=("coverage",)))
