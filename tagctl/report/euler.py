"""The Euler bar chart: how two sets overlap, one bar per pair.

Each bar is a pair's union, split left to right into the members of A only,
of both, and of B only, each segment as wide as its count's share of the
union. Every bar spans the full width, so a small pair reads as well as a
large one: a duplicate is a bar that is nearly all "both", a set inside
another a bar with little or no "A only". Above the bar, A's name sits at
its left end and B's at its right, each linking to its entry; right of
the bar, a value the caller formats (the Jaccard index, say), under a
heading. A legend of the three segments heads the chart.

Conventions as in `charts.py` (ids, escaping, links inside the report,
the empty chart). Classes: root `chart-euler`; `row` (one pair, its
`<title>` every count), `seg` with one of `seg-a`, `seg-both`, `seg-b`
(segments and their legend swatches; a segment's `<title>` its count);
`label`, `value`, `value-none`, `tick` (the value heading), `legend`,
`legend-label`. A segment with no members is not drawn.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

from tagctl.report.svg import (
    BASELINE,
    PAD,
    TITLE_H,
    WIDTH,
    Linear,
    check_href,
    element,
    empty_chart,
    fit,
    frame,
    label_text,
    text_width,
    value_text,
)

ROW_H = 40  # the names' line and the bar under it
NAME_Y = 14  # the names' baseline, from the top of the row
BAR_Y = 20  # the bar's top, from the top of the row
BAR_H = 14
VALUE_W = 72  # the value column right of the bars
BAR_X = PAD
BAR_END = WIDTH - PAD - VALUE_W
LEGEND_H = 22
SWATCH = 12
SEGMENTS = ("seg-a", "seg-both", "seg-b")


@dataclass(frozen=True)
class Split:
    """One pair: A's and B's labels, the members of A only, of both, of B only."""

    a: str
    b: str
    only_a: int
    both: int
    only_b: int
    value: str | None = None  # shown right of the bar; None shows as a dash
    href_a: str | None = None
    href_b: str | None = None

    def __post_init__(self) -> None:
        if min(self.only_a, self.both, self.only_b) < 0:
            raise ValueError("an Euler bar's counts cannot be negative")
        check_href(self.href_a)
        check_href(self.href_b)

    @property
    def counts(self) -> tuple[int, int, int]:
        return self.only_a, self.both, self.only_b


def euler_chart(
    splits: Sequence[Split],
    *,
    title: str,
    keys: tuple[str, str, str],
    value_head: str,
    empty: str,
    chart_id: str | None = None,
) -> Markup:
    """One Euler bar per split, in the given order; `keys` name A only, both and B only."""
    if not splits:
        return empty_chart("euler", chart_id, title, empty)
    top = TITLE_H + LEGEND_H
    rows = [_row(split, keys, top + i * ROW_H) for i, split in enumerate(splits)]
    height = top + len(splits) * ROW_H + PAD
    return frame("euler", chart_id, title, height, _legend(keys, value_head), *rows)


def _legend(keys: tuple[str, str, str], value_head: str) -> Markup:
    """The three segments' swatches and names on one line; the value column's heading."""
    items: list[Markup] = []
    x, y = float(BAR_X), TITLE_H + 4
    room = (BAR_END - BAR_X) / len(keys) - SWATCH - 2 * PAD
    for segment, key in zip(SEGMENTS, keys, strict=True):
        swatch = element("rect", class_=f"seg {segment}", x=x, y=y, width=SWATCH, height=SWATCH)
        name = label_text(
            key,
            x + SWATCH + 4,
            y + SWATCH / 2 + BASELINE,
            room,
            class_="legend-label",
            text_anchor="start",
        )
        items.append(swatch + name)
        x += SWATCH + 4 + text_width(fit(key, room)) + 2 * PAD
    head = element(
        "text", fit(value_head, VALUE_W - PAD), class_="tick", x=BAR_END + PAD, y=y + SWATCH - 2
    )
    return element("g", *items, head, class_="legend")


def _row(split: Split, keys: tuple[str, str, str], top: float) -> Markup:
    counts = ", ".join(f"{key} {count:,}" for key, count in zip(keys, split.counts, strict=True))
    half = (BAR_END - BAR_X) / 2 - PAD
    name_y = top + NAME_Y
    parts = [
        element("title", f"{split.a} · {split.b}: {counts}"),
        label_text(split.a, BAR_X, name_y, half, href=split.href_a, text_anchor="start"),
        label_text(split.b, BAR_END, name_y, half, href=split.href_b),
        *_segments(split, keys, top + BAR_Y),
        value_text(split.value, BAR_END + PAD, top + BAR_Y + BAR_H / 2, VALUE_W - PAD),
    ]
    return element("g", *parts, class_="row")


def _segments(split: Split, keys: tuple[str, str, str], y: float) -> list[Markup]:
    """A only, both, B only, left to right, their widths proportional to their counts."""
    x = Linear(0.0, float(max(sum(split.counts), 1)), BAR_X, BAR_END)
    segments, done = [], 0
    for segment, key, count in zip(SEGMENTS, keys, split.counts, strict=True):
        if count > 0:
            left, right = x(done), x(done + count)
            tooltip = element("title", f"{key}: {count:,}")
            box = {"x": left, "y": y, "width": right - left, "height": BAR_H}
            segments.append(element("rect", tooltip, class_=f"seg {segment}", **box))
        done += count
    return segments
