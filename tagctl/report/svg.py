"""SVG building blocks of the report's charts: elements, text, scales, frames and axes.

Every string that reaches the output goes through `markupsafe.escape`, after
the characters XML 1.0 forbids are dropped; a `Markup` child is kept as it
is. Numbers are written with at most one decimal, so files stay small.

Text is never measured, only estimated, in units of an average lower-case
letter: a character of East Asian width W or F (Chinese, Japanese, Korean,
full-width forms) counts two, a capital or `m`, `w`, `%`, `@` one and a
quarter, a thin one (space, `i`, `l`, punctuation...) a half, a combining
mark nothing. The estimate errs on the wide side, so a label cut to fit fits.
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeAlias

from markupsafe import Markup, escape

SVG_NS = "http://www.w3.org/2000/svg"
FONT_SIZE = 12
NARROW = 0.62  # width of one unit (an average lower-case letter), in font sizes; generous,
# since the reader's sans-serif font is unknown (DejaVu Sans is wider than most)
ELLIPSIS = "…"
NONE = "–"  # a missing value

# The layout shared by the charts, in user units of a viewBox WIDTH wide.
WIDTH = 640
PAD = 8
TITLE_H = 28  # the visible title's band
LABEL_W = 168  # the label column, left of the plot
LEFT = PAD + LABEL_W + PAD  # where the plot of a chart with row labels starts
AXIS_H = 22  # tick labels under a plot
PLOT_H = 180  # the plot of a line chart or histogram
BASELINE = FONT_SIZE * 0.35  # from a row's middle to the baseline of its text
PALETTE = 8  # series-0 .. series-7

Format = Callable[[float], str]

Attr: TypeAlias = str | float | None
Point: TypeAlias = tuple[float, float] | None

_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ID = re.compile(r"[A-Za-z_][\w.-]*\Z")
_THIN = frozenset(" .,:;'!|()[]{}ijlft-")
_WIDE = frozenset("mw%@")


def num(x: float) -> str:
    """`x` with at most one decimal, without a trailing `.0` or a negative zero."""
    text = f"{x:.1f}"
    if text.endswith(".0"):
        text = text[:-2]
    return "0" if text == "-0" else text


def clean(text: str) -> str:
    """`text` without the characters an XML document may not hold."""
    return _XML_FORBIDDEN.sub("", text)


def element(name: str, *children: str, **attrs: Attr) -> Markup:
    """`<name attrs>children</name>`; strings are escaped, `Markup` is kept.

    Attribute names are written Python-style: `class_` is `class`,
    `text_anchor` is `text-anchor`. A `None` value leaves the attribute out.
    """
    head = name
    for key, value in attrs.items():
        if value is not None:
            text = escape(clean(value)) if isinstance(value, str) else num(value)
            head += f' {key.rstrip("_").replace("_", "-")}="{text}"'
    if not children:
        return Markup(f"<{head}/>")
    body = "".join(c if isinstance(c, Markup) else escape(clean(c)) for c in children)
    return Markup(f"<{head}>{body}</{name}>")


def char_width(char: str, size: float = FONT_SIZE) -> float:
    """The estimated width of one character at font size `size`."""
    return _units(char) * NARROW * size


def _units(char: str) -> float:
    if unicodedata.combining(char):
        return 0.0
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return 1.65  # one em
    if char in _THIN:
        return 0.5
    return 1.25 if char.isupper() or char in _WIDE else 1.0


def text_width(text: str, size: float = FONT_SIZE) -> float:
    """The estimated width of `text` at font size `size`."""
    return sum(char_width(char, size) for char in text)


def fit(text: str, width: float, size: float = FONT_SIZE) -> str:
    """`text`, or its longest head that fits in `width` followed by an ellipsis."""
    if text_width(text, size) <= width:
        return text
    room = width - char_width(ELLIPSIS, size)
    used = 0.0
    for i, char in enumerate(text):
        used += char_width(char, size)
        if used > room:
            return text[:i].rstrip() + ELLIPSIS
    return text  # not reached: the whole text is wider than the room


def check_id(chart_id: str) -> str:
    """`chart_id` when it can be an XML id; ValueError otherwise."""
    if not _ID.match(chart_id):
        raise ValueError(f"not a usable chart id: {chart_id!r}")
    return chart_id


def check_href(href: str | None) -> None:
    """ValueError unless `href` is None or points inside the report (`#anchor`)."""
    if href is not None and not href.startswith("#"):
        raise ValueError(f"a chart links only inside the report (#anchor), not to {href!r}")


def finite(value: float | None) -> float | None:
    """`value`, or None when it is missing, infinite or not a number."""
    return value if value is not None and math.isfinite(value) else None


@dataclass(frozen=True)
class Linear:
    """The linear map of the domain [lo, hi] onto the range [start, end]."""

    lo: float
    hi: float
    start: float
    end: float

    def __call__(self, value: float) -> float:
        if self.hi == self.lo:
            return (self.start + self.end) / 2
        return self.start + (value - self.lo) / (self.hi - self.lo) * (self.end - self.start)


def nice_ticks(lo: float, hi: float, count: int = 5, *, whole: bool = False) -> list[float]:
    """Round values from at or below `lo` to at or above `hi`, about `count` steps apart.

    Steps are 1, 2 or 5 times a power of ten (at least 1 when `whole`); an
    empty range is widened: [0, 1] for zero, 10% either side otherwise.
    """
    if hi <= lo == 0:
        hi = 1.0
    elif hi <= lo:
        spread = abs(lo) / 10
        lo, hi = lo - spread, hi + spread
    raw = (hi - lo) / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m for m in (1, 2, 5, 10) if raw <= m * power) * power
    if whole:
        step = max(step, 1.0)
    first, last = math.floor(lo / step), math.ceil(hi / step)
    return [round(k * step, 12) + 0.0 for k in range(first, last + 1)]


def path_data(points: Sequence[Point]) -> tuple[str, list[tuple[float, float]]]:
    """The `d` of a path through `points`, broken at each None; and the lone points.

    A lone point (no neighbour on either side) would draw nothing in a path:
    it is left out of `d`, for the caller to mark with a dot.
    """
    moves: list[str] = []
    lone: list[tuple[float, float]] = []
    for i, point in enumerate(points):
        if point is None:
            continue
        before = i > 0 and points[i - 1] is not None
        after = i + 1 < len(points) and points[i + 1] is not None
        if before or after:
            moves.append(f"{'L' if before else 'M'}{num(point[0])} {num(point[1])}")
        else:
            lone.append(point)
    return "".join(moves), lone


def frame(kind: str, chart_id: str | None, title: str, height: float, *body: Markup) -> Markup:
    """The root `<svg>` of a chart of `kind`, its title both visible and in `<title>`."""
    chart_id = derived_id(kind, title, body) if chart_id is None else check_id(chart_id)
    title_id = f"{chart_id}-title"
    heading = element("text", fit(title, WIDTH - 2 * PAD), class_="chart-title", x=PAD, y=18)
    return element(
        "svg",
        element("title", title, id=title_id),
        heading,
        *body,
        xmlns=SVG_NS,
        id=chart_id,
        class_=f"chart chart-{kind}",
        viewBox=f"0 0 {WIDTH} {num(height)}",
        width="100%",
        preserveAspectRatio="xMinYMin meet",
        role="img",
        aria_labelledby=title_id,
        font_size=FONT_SIZE,
    )


def derived_id(kind: str, title: str, body: Sequence[Markup]) -> str:
    """`chart-` and a digest of the chart: stable, and distinct for charts that differ."""
    digest = hashlib.sha256()
    for part in (kind, title, *body):
        digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
    return f"chart-{digest.hexdigest()[:12]}"


def empty_chart(kind: str, chart_id: str | None, title: str, message: str) -> Markup:
    """A chart of `kind` with nothing to draw: its title and `message`."""
    note = element("text", message, class_="empty", x=PAD, y=TITLE_H + 14)
    return frame(f"{kind} chart-empty", chart_id, title, TITLE_H + 24, note)


def label_text(
    text: str, x: float, y: float, width: float, *, href: str | None = None, **attrs: str
) -> Markup:
    """A label cut to `width`, its full text in a tooltip when cut, linked when `href`."""
    shown = fit(text, width)
    full = element("title", text) if shown != text else Markup()
    attrs = {"class_": "label", "text_anchor": "end", **attrs}
    label = element("text", full, shown, x=x, y=y, **attrs)
    return element("a", label, href=href) if href else label


def value_text(text: str | None, x: float, middle: float, width: float) -> Markup:
    """The value column of a row; None shows as a dash."""
    if text is None:
        return element("text", NONE, class_="value value-none", x=x, y=middle + BASELINE)
    return element("text", fit(text, width), class_="value", x=x, y=middle + BASELINE)


def x_ticks(x: Linear, ticks: Sequence[float], top: float, bottom: float, fmt: Format) -> Markup:
    """Vertical grid lines at `ticks`, their labels under `bottom`."""
    marks = []
    for tick in ticks:
        at = x(tick)
        marks.append(element("line", class_="grid", x1=at, y1=top, x2=at, y2=bottom))
        label = element("text", fmt(tick), class_="tick", x=at, y=bottom + 15, text_anchor="middle")
        marks.append(label)
    return Markup("").join(marks)


def label_every(count: int, width: float, spacing: float) -> int:
    """Label one place in this many so that labels `width` wide, `spacing` apart, don't overlap."""
    return max(1, math.ceil(width / spacing)) if count > 1 else 1


def y_ticks(y: Linear, ticks: Sequence[float], left: float, fmt: Format) -> Markup:
    """Horizontal grid lines at `ticks` from `left` to the right edge, labelled left of `left`."""
    marks = []
    for tick in ticks:
        at = y(tick)
        marks.append(element("line", class_="grid", x1=left, y1=at, x2=WIDTH - PAD, y2=at))
        place: dict[str, Attr] = {"x": left - 4, "y": at + BASELINE, "text_anchor": "end"}
        marks.append(element("text", fmt(tick), class_="tick", **place))
    return Markup("").join(marks)


def legend(labels: Sequence[str]) -> tuple[Markup, float]:
    """The series' swatches and names, wrapped to the width; and the height they take."""
    items: list[Markup] = []
    x, line = float(PAD), 0
    for i, label in enumerate(labels):
        width = 24 + text_width(fit(label, LABEL_W)) + 16
        if x + width > WIDTH - PAD and x > PAD:
            x, line = PAD, line + 1
        y = TITLE_H + line * 18 + 6
        swatch = element("line", class_=f"swatch series-{i % PALETTE}", x1=x, y1=y, x2=x + 18, y2=y)
        name = label_text(
            label, x + 24, y + BASELINE, LABEL_W, class_="legend-label", text_anchor="start"
        )
        items.append(swatch + name)
        x += width
    return element("g", *items, class_="legend"), (line + 1) * 18 + PAD


def category_labels(
    dates: Sequence[str], where: Mapping[str, float], band: float, bottom: float
) -> Markup:
    """`dates` under a plot at their places, every so many when they would overlap."""
    every = label_every(len(dates), max(text_width(d) for d in dates) + PAD, band)
    return Markup("").join(
        element("text", date, class_="tick", x=where[date], y=bottom + 15, text_anchor="middle")
        for i, date in enumerate(dates)
        if i % every == 0
    )
