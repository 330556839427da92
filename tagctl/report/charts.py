"""The report's charts, as inline SVG: pure functions of their data, one `<svg>` each.

This module draws the bar chart, heat map, forest plot and histogram;
`lines.py` the charts over time (line charts and sparklines); `euler.py` the
Euler bars of overlapping sets; `svg.py` holds the geometry and markup they
share. What follows holds for all of them.

Every chart is `width="100%"` over a 640-unit `viewBox`; its height follows
the number of rows. Text from outside (labels, titles, formatted values) is
escaped; long labels end with an ellipsis and keep the full text in a
`<title>` tooltip. Links may only point inside the report (`#anchor`).
The root `<svg>` has the id `chart_id`, and its `<title>` the id
`{chart_id}-title`, which `aria-labelledby` names. Without `chart_id` the id
is `chart-` and a digest of the chart itself: the same data give the same
bytes, and two charts differ in id unless they are identical (a page that
shows one chart twice passes its own ids). No input means a small chart
saying `empty`, in the caller's language.

Colours come from the report's stylesheet only. The class names used:

- root: `chart`, `chart-bar`, `chart-heat`, `chart-forest`, `chart-line`,
  `chart-histogram`, `chart-empty`; `sparkline` for sparklines;
- text: `chart-title`, `empty`, `label`, `value`, `value-none` (a missing
  value, shown as "–"), `tick`, `legend-label`;
- axes: `grid` (lines at the ticks), `zero` (the zero line of the forest plot);
- groups: `row` (one bar, heat-map row or interval), `legend`, `series`;
- bars: `bar`, `bar-warning`, `bar-alert` (the bar's `level`);
- heat map: `cell` with one of `heat-0` (zero) .. `heat-5` (the peak) or
  `heat-none` (no value); its text `cell-value` with `heat-text-0` ..
  `heat-text-5`, to keep it readable on each fill;
- forest plot: `ci`, `ci-sig` (significant), `ci-neg` (significant and below
  zero), `dot`, `dot-sig`, `dot-neg`;
- lines: `line` (path), `point` (circle), `swatch` (legend), each with one of
  `series-0` .. `series-7` (the series' position, modulo 8);
- sparklines: the root's `sparkline` (style its `path`), `spark-dot` (a point
  without neighbours).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise

from markupsafe import Markup

from tagctl.report.svg import (
    AXIS_H,
    BASELINE,
    LABEL_W,
    LEFT,
    NONE,
    PAD,
    PLOT_H,
    TITLE_H,
    WIDTH,
    Format,
    Linear,
    check_href,
    element,
    empty_chart,
    finite,
    frame,
    label_every,
    label_text,
    nice_ticks,
    text_width,
    value_text,
    x_ticks,
    y_ticks,
)

ROW_H = 22  # one bar or interval
BAR_H = 14
CELL_H = 20  # one heat-map row
VALUE_W = 72  # the value column right of the bars
INTERVAL_W = 176  # the "estimate [low, high]" column of the forest plot
HEAT_STEPS = 5


@dataclass(frozen=True)
class Bar:
    """One row of a bar chart; `level` picks the bar's class, `href` links the label."""

    label: str
    value: float | None
    level: str | None = None
    href: str | None = None

    def __post_init__(self) -> None:
        if self.level not in (None, "warning", "alert"):
            raise ValueError(f"unknown bar level: {self.level!r}")
        check_href(self.href)


@dataclass(frozen=True)
class Interval:
    """One row of a forest plot: an estimate and its confidence interval."""

    label: str
    estimate: float | None
    low: float | None
    high: float | None
    significant: bool = False
    href: str | None = None

    def __post_init__(self) -> None:
        check_href(self.href)


# Bar chart


def bar_chart(
    bars: Sequence[Bar],
    *,
    title: str,
    fmt: Format,
    empty: str,
    chart_id: str | None = None,
    scale: float = 1.0,
) -> Markup:
    """Horizontal bars, in the given order; `scale` is the value of a full-width bar.

    Values beyond [0, scale] are drawn at the edge; the value column shows them as they are.
    """
    if not scale > 0:
        raise ValueError(f"a bar chart's scale must be positive, not {scale!r}")
    if not bars:
        return empty_chart("bar", chart_id, title, empty)
    x = Linear(0.0, scale, LEFT, WIDTH - PAD - VALUE_W)
    bottom = TITLE_H + len(bars) * ROW_H
    grid = x_ticks(x, [scale * q / 4 for q in range(5)], TITLE_H, bottom, fmt)
    rows = [_bar_row(bar, TITLE_H + i * ROW_H, x, fmt) for i, bar in enumerate(bars)]
    return frame("bar", chart_id, title, bottom + AXIS_H, grid, *rows)


def _bar_row(bar: Bar, top: float, x: Linear, fmt: Format) -> Markup:
    value = finite(bar.value)
    shown = None if value is None else fmt(value)
    middle = top + ROW_H / 2
    parts = [
        element("title", f"{bar.label}: {shown or NONE}"),
        label_text(bar.label, LEFT - PAD, middle + BASELINE, LABEL_W, href=bar.href),
    ]
    if value is not None:
        width = x(min(max(value, 0.0), x.hi)) - x.start
        level = f" bar-{bar.level}" if bar.level else ""
        y = middle - BAR_H / 2
        parts.append(
            element("rect", class_=f"bar{level}", x=x.start, y=y, width=width, height=BAR_H)
        )
    parts.append(value_text(shown, x.end + PAD, middle, VALUE_W - PAD))
    return element("g", *parts, class_="row")


# Heat map


def heat_map(
    rows: Sequence[str],
    columns: Sequence[str],
    cells: Mapping[tuple[str, str], float],
    *,
    title: str,
    fmt: Format,
    empty: str,
    chart_id: str | None = None,
) -> Markup:
    """A grid of `rows` × `columns`, each cell's class a step from zero to the peak value."""
    if not rows or not columns:
        return empty_chart("heat", chart_id, title, empty)
    peak = max((v for v in map(finite, cells.values()) if v is not None), default=0.0)
    cell_w = (WIDTH - PAD - LEFT) / len(columns)
    top = TITLE_H + CELL_H
    header = [
        label_text(column, LEFT + (j + 0.5) * cell_w, top - 6, cell_w - 4, text_anchor="middle")
        for j, column in enumerate(columns)
    ]
    body = [
        _heat_row(row, columns, cells, top + i * CELL_H, cell_w, peak, fmt)
        for i, row in enumerate(rows)
    ]
    bottom = top + len(rows) * CELL_H
    shades = _heat_legend(peak, bottom + PAD, fmt)
    return frame("heat", chart_id, title, bottom + PAD + 20, *header, *body, shades)


def heat_step(value: float, peak: float) -> int:
    """0 for zero (or less), 1 .. HEAT_STEPS in equal parts up to `peak`."""
    if value <= 0 or peak <= 0:
        return 0
    return min(HEAT_STEPS, max(1, math.ceil(value / peak * HEAT_STEPS)))


def _heat_row(
    row: str,
    columns: Sequence[str],
    cells: Mapping[tuple[str, str], float],
    top: float,
    cell_w: float,
    peak: float,
    fmt: Format,
) -> Markup:
    parts = [label_text(row, LEFT - PAD, top + CELL_H / 2 + BASELINE, LABEL_W)]
    for j, column in enumerate(columns):
        value = finite(cells.get((row, column)))
        parts.append(
            _heat_cell(f"{row} · {column}", value, LEFT + j * cell_w, top, cell_w, peak, fmt)
        )
    return element("g", *parts, class_="row")


def _heat_cell(
    name: str, value: float | None, left: float, top: float, width: float, peak: float, fmt: Format
) -> Markup:
    step = "none" if value is None else str(heat_step(value, peak))
    shown = NONE if value is None else fmt(value)
    tooltip = element("title", f"{name}: {shown}")
    box = {"x": left + 1, "y": top + 1, "width": width - 2, "height": CELL_H - 2}
    rect = element("rect", tooltip, class_=f"cell heat-{step}", **box)
    if value is None or text_width(shown) > width - 6:
        return rect
    text = element(
        "text",
        shown,
        class_=f"cell-value heat-text-{step}",
        x=left + width / 2,
        y=top + CELL_H / 2 + BASELINE,
        text_anchor="middle",
        pointer_events="none",
    )
    return rect + text


def _heat_legend(peak: float, top: float, fmt: Format) -> Markup:
    """The steps' swatches from zero to the peak, so a reader can tell what a shade means."""
    low = element("text", fmt(0.0), class_="tick", x=LEFT - 4, y=top + 10, text_anchor="end")
    swatches = [
        element("rect", class_=f"cell heat-{k}", x=LEFT + k * 18, y=top, width=16, height=12)
        for k in range(HEAT_STEPS + 1)
    ]
    high = element("text", fmt(peak), class_="tick", x=LEFT + (HEAT_STEPS + 1) * 18 + 2, y=top + 10)
    return element("g", low, *swatches, high, class_="legend")


# Forest plot


def forest_plot(
    rows: Sequence[Interval], *, title: str, fmt: Format, empty: str, chart_id: str | None = None
) -> Markup:
    """Estimates with their intervals, one row each in the given order, around a zero line."""
    if not rows:
        return empty_chart("forest", chart_id, title, empty)
    values = [0.0] + [v for row in rows for v in _bounds(row) or ()]
    ticks = nice_ticks(min(values), max(values), 4)
    x = Linear(ticks[0], ticks[-1], LEFT, WIDTH - PAD - INTERVAL_W)
    bottom = TITLE_H + len(rows) * ROW_H
    grid = x_ticks(x, ticks, TITLE_H, bottom, fmt)
    zero = element("line", class_="zero", x1=x(0.0), y1=TITLE_H, x2=x(0.0), y2=bottom)
    body = [_forest_row(row, TITLE_H + i * ROW_H, x, fmt) for i, row in enumerate(rows)]
    return frame("forest", chart_id, title, bottom + AXIS_H, grid, zero, *body)


def _bounds(row: Interval) -> tuple[float, float, float] | None:
    """(low, estimate, high) when all three are numbers."""
    low, estimate, high = finite(row.low), finite(row.estimate), finite(row.high)
    if low is None or estimate is None or high is None:
        return None
    return low, estimate, high


def _forest_row(row: Interval, top: float, x: Linear, fmt: Format) -> Markup:
    middle = top + ROW_H / 2
    bounds = _bounds(row)
    shown = None if bounds is None else f"{fmt(bounds[1])} [{fmt(bounds[0])}, {fmt(bounds[2])}]"
    parts = [
        element("title", f"{row.label}: {shown or NONE}"),
        label_text(row.label, LEFT - PAD, middle + BASELINE, LABEL_W, href=row.href),
    ]
    if bounds is not None:
        low, estimate, high = (x(v) for v in bounds)
        sig = _significance(row, bounds[1])
        parts.append(element("line", class_=f"ci{sig}", x1=low, y1=middle, x2=high, y2=middle))
        dot = "dot" + sig.replace("ci-", "dot-")
        parts.append(element("circle", class_=dot, cx=estimate, cy=middle, r=4))
    parts.append(value_text(shown, x.end + PAD, middle, INTERVAL_W - PAD))
    return element("g", *parts, class_="row")


def _significance(row: Interval, estimate: float) -> str:
    """The extra classes of a significant interval: ` ci-sig`, and ` ci-neg` below zero."""
    if not row.significant:
        return ""
    return " ci-sig ci-neg" if estimate < 0 else " ci-sig"


# Histogram


def histogram(
    counts: Sequence[int],
    edges: Sequence[float],
    *,
    title: str,
    fmt: Format,
    empty: str,
    chart_id: str | None = None,
) -> Markup:
    """Bars of `counts` over the bins between consecutive `edges` (the last bin is closed).

    The bins are drawn equally wide, each edge labelled where it falls:
    uneven bins (0, 0.1%, 1%, 5%, 20% ...) would crowd their small bins'
    labels on top of each other on a linear axis. Labels that would still
    overlap are thinned to every second (third ...) edge.
    """
    if len(edges) != len(counts) + 1 or any(b <= a for a, b in pairwise(edges)):
        raise ValueError("a histogram needs increasing edges, one more than its counts")
    if any(c < 0 for c in counts):
        raise ValueError("a histogram's counts cannot be negative")
    if not counts:
        return empty_chart("histogram", chart_id, title, empty)
    ticks = nice_ticks(0, max(max(counts), 1), 4, whole=True)
    edge_w = max(text_width(fmt(e)) for e in edges) + PAD
    left = PAD + text_width(f"{ticks[-1]:,.0f}") + PAD
    x = Linear(0, len(counts), max(left, edge_w / 2), WIDTH - PAD - edge_w / 2)
    top, bottom = TITLE_H + PAD, TITLE_H + PAD + PLOT_H
    y = Linear(0, ticks[-1], bottom, top)
    every = label_every(len(edges), edge_w, (x.end - x.start) / len(counts))
    shown = [i for i in range(len(edges)) if i % every == 0]

    def edge_label(tick: float) -> str:  # the ticks are edge numbers
        return fmt(edges[int(tick)])

    axes = y_ticks(y, ticks, x.start, lambda t: f"{t:,.0f}") + x_ticks(
        x, shown, top, bottom, edge_label
    )
    bins = [
        _bin(c, i, (lo, hi), i == len(counts) - 1, x, y, fmt)
        for i, (c, (lo, hi)) in enumerate(zip(counts, pairwise(edges), strict=True))
    ]
    return frame("histogram", chart_id, title, bottom + AXIS_H, axes, *bins)


def _bin(
    count: int, at: int, span: tuple[float, float], last: bool, x: Linear, y: Linear, fmt: Format
) -> Markup:
    """The bar of bin number `at`, covering the values `span`."""
    lo, hi = span
    tooltip = element("title", f"[{fmt(lo)}, {fmt(hi)}{']' if last else ')'}: {count:,}")
    left, right = x(at), x(at + 1)
    box = {"x": left + 0.5, "y": y(count), "width": max(right - left - 1, 0.5)}
    return element("rect", tooltip, class_="bar", height=y(0) - y(count), **box)
