"""Renderers of a KPI run: a table for people, JSON and CSV for tools.

The JSON is the document of DESIGN.md section 7 (`schemas/kpi-result.schema.json`).
The CSV has one row per tag with the headline KPIs, flat, for spreadsheets.
The table groups tags by category, marks alerts, and ends with the notes.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Sequence
from typing import Any, TextIO

from tagctl.kpi.result import KpiRun, TagKpi
from tagctl.textsafe import cell, printable, spreadsheet_cell

FORMATS = ["table", "json", "csv"]


def render_kpi(run: KpiRun, fmt: str, stream: TextIO, color: bool | None = None) -> None:
    if fmt == "json":
        json.dump(run.document(), stream, ensure_ascii=False, indent=2)
        stream.write("\n")
    elif fmt == "csv":
        _csv(run, stream)
    else:
        _table(run, stream, color)


def render_sql(shown: Sequence[tuple[str, str]], stream: TextIO) -> None:
    """`tagctl kpi --show-sql`: each statement under a `-- name` line, ending with `;`."""
    for name, sql in shown:
        body = "\n".join(line.rstrip() for line in sql.strip().splitlines())
        stream.write(f"-- {name}\n{body};\n\n")


CSV_COLUMNS: list[tuple[str, Callable[[TagKpi], Any]]] = [
    ("status", lambda k: k.status),
    ("category", lambda k: k.category),
    ("value_type", lambda k: k.value_type),
    ("tier", lambda k: k.tier),
    ("holders", lambda k: k.holders),
    ("coverage", lambda k: k.coverage),
    ("freshness_hours", lambda k: k.freshness_hours),
    ("stale", lambda k: k.stale),
    ("domain_violations", lambda k: k.domain_violations),
    ("domain_violation_rate", lambda k: k.domain_violation_rate),
    ("events", lambda k: k.events),
    ("consumers", lambda k: k.consumers),
    ("last_used", lambda k: k.last_used),
    ("activation_rate", lambda k: k.activation_rate),
    ("response_rate", lambda k: k.activation.response_rate if k.activation else None),
    ("treatment_rate", lambda k: k.conversion.treatment.rate if k.conversion else None),
    ("control_rate", lambda k: k.conversion.control.rate if k.conversion else None),
    ("absolute_lift", lambda k: k.absolute_lift),
    ("relative_lift", lambda k: k.conversion.relative_lift if k.conversion else None),
    ("ci_low", lambda k: k.conversion.ci_low if k.conversion else None),
    ("ci_high", lambda k: k.conversion.ci_high if k.conversion else None),
    ("p_value", lambda k: k.conversion.p_value if k.conversion else None),
    ("q_value", lambda k: k.q_value),
    ("significant", lambda k: k.significant),
    ("audience_index", lambda k: k.audience_index),
    ("psi", lambda k: k.psi),
    ("alerts", lambda k: ";".join(alert.code for alert in k.alerts)),
    # the value KPIs, after every older column
    ("holder_aov", lambda k: _quality(k, "holder_aov")),
    ("population_aov", lambda k: _quality(k, "population_aov")),
    ("aov_index", lambda k: _quality(k, "aov_index")),
    ("holder_repeat_rate", lambda k: _quality(k, "holder_repeat_rate")),
    ("population_repeat_rate", lambda k: _quality(k, "population_repeat_rate")),
    ("repeat_index", lambda k: _quality(k, "repeat_index")),
    ("cycle_days", lambda k: _conversion(k, "conversion_cycle_days")),
    ("control_cycle_days", lambda k: _conversion(k, "control_cycle_days")),
    ("cycle_difference_days", lambda k: _conversion(k, "cycle_difference_days")),
    ("cycle_ci_low", lambda k: _conversion(k, "cycle_ci_low")),
    ("cycle_ci_high", lambda k: _conversion(k, "cycle_ci_high")),
    ("cost", lambda k: k.roi.cost if k.roi else None),
    ("incremental_revenue", lambda k: k.roi.incremental_revenue if k.roi else None),
    ("roi", lambda k: k.roi.roi if k.roi else None),
]


def _quality(kpi: TagKpi, name: str) -> Any:
    return None if kpi.audience_quality is None else getattr(kpi.audience_quality, name)


def _conversion(kpi: TagKpi, name: str) -> Any:
    return None if kpi.conversion is None else getattr(kpi.conversion, name)


def _csv(run: KpiRun, stream: TextIO) -> None:
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(["tag", *(name for name, _ in CSV_COLUMNS)])
    for name, kpi in run.tags.items():
        writer.writerow([spreadsheet_cell(name), *(_cell(get(kpi)) for _, get in CSV_COLUMNS)])


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.6g}"
    if hasattr(value, "isoformat"):
        return str(value.isoformat(timespec="seconds"))
    return str(value)


def _table(run: KpiRun, stream: TextIO, color: bool | None) -> None:
    from rich.console import Console  # lazy: rich costs 60 ms, and only the table needs it
    from rich.table import Table  # lazy: as Console

    from tagctl.formats.text import use_color  # lazy: only the table asks about colour

    on = use_color(stream, color)
    console = Console(
        file=stream,
        force_terminal=on,
        no_color=not on,
        width=None if on else 160,
        highlight=False,
    )
    table = Table(title=_title(run), title_justify="left", show_lines=False, pad_edge=False)
    for header, justify in _HEADERS:
        table.add_column(header, justify=justify, no_wrap=header == "tag")  # type: ignore[arg-type]
    measured = [(n, k) for n, k in run.tags.items() if k.holders is not None]
    for name, kpi in sorted(measured, key=lambda item: (item[1].category, item[0])):
        style = {"alert": "red", "warning": "yellow"}.get(kpi.level() or "", "")
        table.add_row(*(cell(text) for text in _row(name, kpi)), style=style)
    console.print(table)
    for line in _summary(run):
        console.print(printable(line), markup=False)


_HEADERS = [
    ("tag", "left"),
    ("status", "left"),
    ("coverage", "right"),
    ("holders", "right"),
    ("fresh h", "right"),
    ("bad", "right"),
    ("uses", "right"),
    ("activ.", "right"),
    ("lift", "right"),
    ("AQ", "right"),
    ("PSI", "right"),
    ("alerts", "left"),
]


def _row(name: str, kpi: TagKpi) -> list[str]:
    lift = "-"
    if kpi.absolute_lift is not None:
        lift = f"{kpi.absolute_lift * 100:+.1f}pp" + ("*" if kpi.significant else "")
    fresh = _num(kpi.freshness_hours, "{:.0f}") + ("!" if kpi.stale else "")
    return [
        name,
        kpi.status,
        _num(kpi.coverage, "{:.1%}"),
        _num(kpi.holders, "{:,}"),
        fresh,
        _num(kpi.domain_violations, "{:,}"),
        _num(kpi.events, "{:,}"),
        _num(kpi.activation_rate, "{:.0%}"),
        lift,
        _num(kpi.audience_index, "{:.2f}"),
        _num(kpi.psi, "{:.3f}"),
        " ".join(alert.code for alert in kpi.alerts),
    ]


def _num(value: float | int | None, spec: str) -> str:
    return "-" if value is None else spec.format(value)


def _title(run: KpiRun) -> str:
    return (
        f"Tag KPIs as of {run.as_of:%Y-%m-%d %H:%M} UTC, window {run.window_days} d, "
        f"population {run.population.size:,} ({run.population.definition})"
    )


def _summary(run: KpiRun) -> list[str]:
    c = run.catalog
    cov = c.coverage
    lines = [
        f"tags: {c.tags} ({c.measured} measured); "
        + ", ".join(f"{status} {count}" for status, count in c.status.items()),
        f"coverage: overall {_num(cov.overall, '{:.1%}')}, core any {_num(cov.core_any, '{:.1%}')}"
        f", core all {_num(cov.core_all, '{:.1%}')}; usage rate {_num(c.usage_rate, '{:.1%}')}",
        f"star: {', '.join(c.star) or '-'}",
        f"zombie: {len(c.zombie) if c.zombie is not None else '-'}; cold: {len(c.cold)}"
        f"; alerts: {c.alerts.get('alert', 0)}, warnings: {c.alerts.get('warning', 0)}",
        _tag_driven(run),
        "lift: treatment minus control conversion, * significant (BH q < 0.05); "
        "fresh h! stale; AQ: holders' conversion over the population's",
    ]
    lines += [f"note: {note}" for note in run.notes]
    return lines


def _tag_driven(run: KpiRun) -> str:
    """Sales driven by tag strategies, the users they cover, their ROI; the combinations."""
    driven, combinations = run.catalog.tag_driven, run.combinations
    counted = "-" if combinations is None else f"{len(combinations):,}"
    if driven is None:
        return f"tag-driven: -; tag combinations: {counted}"
    roi = None if driven.roi is None else driven.roi.roi
    return (
        f"tag-driven: {_num(driven.amount_share, '{:.1%}')} of sales amount, "
        f"{_num(driven.conversion_share, '{:.1%}')} of conversions; "
        f"covered users {driven.covered_users:,} ({_num(driven.covered_share, '{:.1%}')}); "
        f"ROI {_num(roi, '{:.2f}')}; tag combinations: {counted}"
    )
