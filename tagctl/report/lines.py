"""The report's charts over time, as inline SVG: line charts and sparklines.

They follow the conventions of `charts.py`, which lists them: ids, escaping,
empty charts, and the stylesheet's class names (`chart-line`, `line`,
`point`, `swatch`, `series-N`; `sparkline`, `spark-dot`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from tagctl.report.svg import (
    AXIS_H,
    PAD,
    PALETTE,
    PLOT_H,
    SVG_NS,
    TITLE_H,
    WIDTH,
    Format,
    Linear,
    Point,
    category_labels,
    clean,
    element,
    empty_chart,
    finite,
    frame,
    legend,
    nice_ticks,
    path_data,
    text_width,
    y_ticks,
)

SPARK_W, SPARK_H = 80, 16


@dataclass(frozen=True)
class Series:
    """One line of a line chart: (ISO date, value) points in the order to draw them."""

    label: str
    points: Sequence[tuple[str, float | None]]


def line_chart(
    series: Sequence[Series], *, title: str, fmt: Format, empty: str, chart_id: str | None = None
) -> Markup:
    """Lines over dates, evenly spaced in the order they first appear; None breaks a line.

    The value axis starts at zero when the data reach at least half-way to it.
    """
    dates = list(dict.fromkeys(date for s in series for date, _ in s.points))
    values = [v for s in series for _, value in s.points if (v := finite(value)) is not None]
    if not values:
        return empty_chart("line", chart_id, title, empty)
    key, key_h = legend([s.label for s in series])
    top = TITLE_H + key_h
    ticks = nice_ticks(*_extent(values))
    date_w = max(text_width(date) for date in dates) + PAD
    left = max(PAD + max(text_width(fmt(t)) for t in ticks) + PAD, date_w / 2)
    band = (WIDTH - PAD - left) / len(dates)
    where = {date: left + (i + 0.5) * band for i, date in enumerate(dates)}
    y = Linear(ticks[0], ticks[-1], top + PLOT_H, top)
    axes = y_ticks(y, ticks, left, fmt) + category_labels(dates, where, band, top + PLOT_H)
    lines = [_series(s, i, where, y, fmt) for i, s in enumerate(series)]
    return frame("line", chart_id, title, top + PLOT_H + AXIS_H, key, axes, *lines)


def _extent(values: Sequence[float]) -> tuple[float, float]:
    lo, hi = min(values), max(values)
    if lo > 0 and (lo <= hi / 2 or lo == hi):
        return 0.0, hi
    if hi < 0 and (hi >= lo / 2 or lo == hi):
        return lo, 0.0
    return lo, hi


def _series(s: Series, index: int, where: Mapping[str, float], y: Linear, fmt: Format) -> Markup:
    colour = f"series-{index % PALETTE}"
    points: list[Point] = []
    dots = []
    for date, raw in s.points:
        value = finite(raw)
        if value is None:
            points.append(None)
            continue
        cx, cy = where[date], y(value)
        points.append((cx, cy))
        tooltip = element("title", f"{s.label} · {date}: {fmt(value)}")
        dots.append(element("circle", tooltip, class_=f"point {colour}", cx=cx, cy=cy, r=3))
    d, _ = path_data(points)
    path = element("path", class_=f"line {colour}", d=d) if d else Markup()
    return element("g", path, *dots, class_="series")


def sparkline(values: Sequence[float | None], *, label: str, inline: bool = False) -> Markup:
    """A line 80 × 16 (the stylesheet sizes it) scaled to its own values; `label` names it.

    Lean on purpose, since a report has one per tag: no title, no size, dots only
    for points without neighbours, and plain string building; `inline` leaves
    out the namespace, which SVG inside HTML does not need.
    """
    ys = [finite(value) for value in values]
    present = [y for y in ys if y is not None]
    body = ""
    if present:
        x = Linear(0, max(len(ys) - 1, 0), 2, SPARK_W - 2)
        y = Linear(min(present), max(present), SPARK_H - 2, 2)
        points: list[Point] = [None if v is None else (x(i), y(v)) for i, v in enumerate(ys)]
        d, lone = path_data(points)
        body = f'<path d="{d}"/>' if d else ""
        body += "".join(_spark_dot("spark-dot", point, 1.5) for point in lone)
    space = "" if inline else f' xmlns="{SVG_NS}"'
    return Markup(
        f'<svg{space} class="sparkline" viewBox="0 0 {SPARK_W} {SPARK_H}" role="img"'
        f' aria-label="{escape(clean(label))}">{body}</svg>'
    )


def _spark_dot(cls: str, point: tuple[float, float], radius: float) -> Markup:
    return element("circle", class_=cls, cx=point[0], cy=point[1], r=radius)
