"""The report's SVG charts: geometry, order, escaping, ids, empty and missing data.

Charts are parsed back with ElementTree, so every test also checks that the
output is well-formed XML.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from itertools import pairwise

import pytest
from markupsafe import Markup

from tagctl.report.charts import (
    Bar,
    Interval,
    bar_chart,
    forest_plot,
    heat_map,
    heat_step,
    histogram,
)
from tagctl.report.euler import Split, euler_chart
from tagctl.report.lines import Series, line_chart, sparkline
from tagctl.report.svg import FONT_SIZE, LABEL_W, fit, nice_ticks, text_width

NS = "{http://www.w3.org/2000/svg}"
HOSTILE = ("<script>alert(1)</script>", '" onload="x', "' onmouseover='y", "&amp; </svg>")


def pct(value: float) -> str:
    return f"{value:.0%}"


def parse(markup: Markup) -> ET.Element:
    assert isinstance(markup, Markup)
    return ET.fromstring(str(markup))


def nodes(root: ET.Element, name: str) -> list[ET.Element]:
    return list(root.iter(NS + name))


def classes(node: ET.Element) -> list[str]:
    return node.get("class", "").split()


def texts(root: ET.Element) -> str:
    return "\n".join(root.itertext())


def floats(node: ET.Element, *names: str) -> tuple[float, ...]:
    return tuple(float(node.attrib[name]) for name in names)


def every_chart(text: str = "label", fmt: Callable[[float], str] = pct) -> Iterator[Markup]:
    """One of each chart, with `text` in every label, title and name."""
    yield bar_chart(
        [Bar(text, 0.4, "alert", "#tag-a"), Bar(text, None)], title=text, fmt=fmt, empty=text
    )
    yield heat_map([text, "r"], [text, "c"], {(text, text): 3.0}, title=text, fmt=fmt, empty=text)
    rows = [Interval(text, 0.01, -0.01, 0.03, True, "#tag-a"), Interval(text, None, None, None)]
    yield forest_plot(rows, title=text, fmt=fmt, empty=text)
    points = [("2024-05-01", 0.5), ("2024-05-02", None), ("2024-05-03", 0.7)]
    yield line_chart([Series(text, points)], title=text, fmt=fmt, empty=text)
    yield sparkline([0.1, None, 0.3], label=text)
    yield histogram([1, 2], [0.0, 0.5, 1.0], title=text, fmt=fmt, empty=text)
    splits = [Split(text, text, 1, 8, 2, fmt(0.5), "#tag-a", "#tag-b"), Split(text, text, 0, 0, 0)]
    yield euler_chart(splits, title=text, keys=(text, text, text), value_head=text, empty=text)


def every_empty_chart(empty: str) -> Iterator[Markup]:
    yield bar_chart([], title="t", fmt=pct, empty=empty)
    yield heat_map([], ["c"], {}, title="t", fmt=pct, empty=empty)
    yield heat_map(["r"], [], {}, title="t", fmt=pct, empty=empty)
    yield forest_plot([], title="t", fmt=pct, empty=empty)
    yield line_chart([], title="t", fmt=pct, empty=empty)
    yield line_chart([Series("s", [("2024-05-01", None)])], title="t", fmt=pct, empty=empty)
    yield histogram([], [0.0], title="t", fmt=pct, empty=empty)
    yield euler_chart([], title="t", keys=("a", "b", "c"), value_head="v", empty=empty)


def test_charts_are_accessible_responsive_svg() -> None:
    for chart in [*every_chart(), *every_empty_chart("no data")]:
        root = parse(chart)
        assert root.tag == NS + "svg"
        assert root.get("role") == "img"
        assert root.get("viewBox", "").startswith("0 0 ")
        if "sparkline" in classes(root):
            assert root.get("aria-label") == "label"
            continue
        assert (root.get("width"), root.get("preserveAspectRatio")) == ("100%", "xMinYMin meet")
        first = root[0]
        assert first.tag == NS + "title"
        assert first.get("id") == root.get("aria-labelledby") == f"{root.get('id')}-title"


@pytest.mark.parametrize("hostile", HOSTILE)
def test_text_from_outside_stays_text(hostile: str) -> None:
    for chart in every_chart(hostile, fmt=lambda value: hostile):
        root = parse(chart)
        assert not nodes(root, "script")
        for node in root.iter():
            assert not [name for name in node.attrib if name.lower().startswith("on")]
        shown = root.get("aria-label") if "sparkline" in classes(root) else texts(root)
        assert hostile in (shown or "")


def test_no_references_outside_the_page() -> None:
    for chart in every_chart():
        text = str(chart).replace('xmlns="http://www.w3.org/2000/svg"', "")
        assert "http" not in text and "url(" not in text
        root = parse(chart)
        for name in ("image", "use", "foreignObject", "style", "script"):
            assert not nodes(root, name)
        assert all(a.get("href", "").startswith("#") for a in nodes(root, "a"))


@pytest.mark.parametrize("href", ["https://example.com/", "javascript:alert(1)", "tag-a"])
def test_links_must_stay_in_the_report(href: str) -> None:
    with pytest.raises(ValueError, match="inside the report"):
        Bar("a", 0.5, href=href)
    with pytest.raises(ValueError, match="inside the report"):
        Interval("a", 0.0, 0.0, 0.0, href=href)


def test_unknown_bar_level_is_refused() -> None:
    with pytest.raises(ValueError, match="level"):
        Bar("a", 0.5, level="critical")


def bar_widths(chart: Markup) -> list[float]:
    return [floats(rect, "width")[0] for rect in nodes(parse(chart), "rect")]


def test_bar_length_is_proportional_to_the_value() -> None:
    bars = [Bar("full", 1.0), Bar("half", 0.5), Bar("zero", 0.0)]
    full, half, zero = bar_widths(bar_chart(bars, title="t", fmt=pct, empty="-"))
    assert half == pytest.approx(full / 2, abs=0.1)
    assert zero == 0


def test_scale_is_the_value_of_a_full_bar_and_bars_stop_at_the_edges() -> None:
    at_one = bar_widths(bar_chart([Bar("a", 1.0)], title="t", fmt=pct, empty="-"))
    bars = [Bar("a", 0.5), Bar("b", 0.9), Bar("c", -0.2)]
    at_half = bar_widths(bar_chart(bars, title="t", fmt=pct, empty="-", scale=0.5))
    assert at_half == [at_one[0], at_one[0], 0]
    with pytest.raises(ValueError, match="scale"):
        bar_chart(bars, title="t", fmt=pct, empty="-", scale=0)


def test_bars_keep_their_order_level_link_and_value() -> None:
    bars = [Bar("b", 0.2), Bar("a", 0.9, "warning"), Bar("c", 0.1, "alert", "#tag-c")]
    root = parse(bar_chart(bars, title="t", fmt=pct, empty="-"))
    rows = [row for row in nodes(root, "g") if classes(row) == ["row"]]
    assert [row.findtext(NS + "title") for row in rows] == ["b: 20%", "a: 90%", "c: 10%"]
    rects = nodes(root, "rect")
    assert [classes(rect) for rect in rects] == [
        ["bar"],
        ["bar", "bar-warning"],
        ["bar", "bar-alert"],
    ]
    tops = [floats(rect, "y")[0] for rect in rects]
    assert tops == sorted(tops)
    (link,) = nodes(root, "a")
    assert link.get("href") == "#tag-c" and "c" in texts(link)


def test_a_missing_bar_value_draws_an_empty_row_with_a_dash() -> None:
    root = parse(bar_chart([Bar("a", None), Bar("b", float("nan"))], title="t", fmt=pct, empty="-"))
    assert not nodes(root, "rect")
    missing = [node for node in nodes(root, "text") if "value-none" in classes(node)]
    assert [node.text for node in missing] == ["–", "–"]


def test_cjk_characters_are_one_em_wide() -> None:
    assert text_width("近") == pytest.approx(FONT_SIZE, rel=0.05)
    assert text_width("近") > 1.5 * text_width("a")
    assert text_width("近30天浏览商品") == pytest.approx(text_width("近") * 6 + text_width("30"))
    assert fit("a" * 20, LABEL_W) == "a" * 20
    cut = fit("近" * 20, LABEL_W)
    assert cut.endswith("…") and text_width(cut) <= LABEL_W
    assert fit("近30天浏览商品", LABEL_W) == "近30天浏览商品"


def test_a_long_label_is_cut_and_keeps_its_full_text_in_a_tooltip() -> None:
    name = "近30天浏览商品次数" * 4
    root = parse(bar_chart([Bar(name, 0.5)], title="t", fmt=pct, empty="-"))
    (label,) = [node for node in nodes(root, "text") if "label" in classes(node)]
    assert label.findtext(NS + "title") == name
    assert label.text is None and "".join(label.itertext()).endswith("…")


def test_ids_are_given_or_derived_and_never_repeat_in_a_page() -> None:
    root = parse(bar_chart([Bar("a", 0.5)], title="t", fmt=pct, empty="-", chart_id="cov-1"))
    assert root.get("id") == "cov-1" and root.get("aria-labelledby") == "cov-1-title"
    page = [*every_chart("x"), *every_chart("y"), *every_empty_chart("none")]
    page += [bar_chart([Bar("a", v / 10)], title="same", fmt=pct, empty="-") for v in range(10)]
    distinct = list(dict.fromkeys(page))  # identical charts share their derived id
    ids = [node.get("id") for chart in distinct for node in parse(chart).iter() if node.get("id")]
    assert len(ids) == len(set(ids)) == 2 * (len(distinct) - 2)  # sparklines carry no id
    with pytest.raises(ValueError, match="chart id"):
        bar_chart([], title="t", fmt=pct, empty="-", chart_id='x" onload="y')


def test_same_input_same_bytes() -> None:
    assert list(every_chart("近30天")) == list(every_chart("近30天"))
    assert list(every_empty_chart("暂无数据")) == list(every_empty_chart("暂无数据"))


def test_empty_input_gives_a_small_chart_with_the_callers_words() -> None:
    for chart in every_empty_chart("暂无数据"):
        root = parse(chart)
        assert "chart-empty" in classes(root)
        assert "暂无数据" in texts(root)
        assert float(root.get("viewBox", "").split()[3]) < 60


def test_coordinates_have_at_most_one_decimal() -> None:
    numeric = re.compile(r"-?\d+(\.\d+)?\Z")
    for chart in every_chart():
        for node in parse(chart).iter():
            for value in node.attrib.values():
                assert not numeric.match(value) or re.fullmatch(r"-?\d+(\.\d)?", value)
    thirds = Series("s", [(f"2024-05-0{i}", i / 3) for i in range(1, 8)])
    attributes = re.findall(r'="([^"]*)"', line_chart([thirds], title="t", fmt=pct, empty="-"))
    assert not [value for value in attributes if re.search(r"\d\.\d\d", value)]


def test_characters_xml_forbids_are_dropped() -> None:
    root = parse(bar_chart([Bar("a\x00b\x1bc", 0.5)], title="t\x0c", fmt=pct, empty="-"))
    assert "abc: 50%" in texts(root)


def test_heat_cells_step_from_zero_to_the_peak() -> None:
    cells = {("r1", "c1"): 100.0, ("r1", "c2"): 1.0, ("r2", "c1"): 0.0, ("r2", "c2"): 50.0}
    root = parse(heat_map(["r1", "r2", "r3"], ["c1", "c2"], cells, title="t", fmt=str, empty="-"))
    boxes = [node for node in nodes(root, "rect") if node.findtext(NS + "title")]
    assert [box.findtext(NS + "title") for box in boxes] == [
        "r1 · c1: 100.0", "r1 · c2: 1.0", "r2 · c1: 0.0", "r2 · c2: 50.0",
        "r3 · c1: –", "r3 · c2: –",
    ]  # fmt: skip
    steps = [classes(box)[1] for box in boxes]
    assert steps == ["heat-5", "heat-1", "heat-0", "heat-3", "heat-none", "heat-none"]
    assert [heat_step(v, 10.0) for v in (-1, 0, 0.1, 2, 2.1, 10, 12)] == [0, 0, 1, 1, 2, 5, 5]


def test_heat_values_are_written_only_where_they_fit() -> None:
    columns = [f"c{i}" for i in range(30)]
    cells = {("r", column): 123456.0 for column in columns}
    root = parse(heat_map(["r"], columns, cells, title="t", fmt=str, empty="-"))
    assert not [node for node in nodes(root, "text") if "cell-value" in classes(node)]
    root = parse(heat_map(["r"], ["c"], {("r", "c"): 7.0}, title="t", fmt=str, empty="-"))
    (value,) = [node for node in nodes(root, "text") if "cell-value" in classes(node)]
    assert value.text == "7.0" and "heat-text-5" in classes(value)


def test_forest_plot_draws_intervals_around_zero() -> None:
    rows = [
        Interval("up", 0.02, 0.01, 0.03, significant=True),
        Interval("flat", 0.0, -0.01, 0.01),
        Interval("unknown", 0.01, None, 0.02),
    ]
    root = parse(forest_plot(rows, title="t", fmt=lambda v: f"{v * 100:+.1f}pp", empty="-"))
    lines = {tuple(classes(line)): line for line in nodes(root, "line")}
    (zero_x,) = set(floats(lines[("zero",)], "x1", "x2"))
    sig, plain = lines[("ci", "ci-sig")], lines[("ci",)]
    assert floats(plain, "x1")[0] < zero_x < floats(plain, "x2")[0] < floats(sig, "x2")[0]
    dots = nodes(root, "circle")
    assert [classes(dot) for dot in dots] == [["dot", "dot-sig"], ["dot"]]
    assert floats(sig, "x1")[0] < floats(dots[0], "cx")[0] < floats(sig, "x2")[0]
    titles = [g.findtext(NS + "title") for g in nodes(root, "g")]
    assert titles == ["up: +2.0pp [+1.0pp, +3.0pp]", "flat: +0.0pp [-1.0pp, +1.0pp]", "unknown: –"]
    assert "+0.0pp" in [node.text for node in nodes(root, "text") if "tick" in classes(node)]


def test_forest_plot_marks_significant_negative_lifts_apart() -> None:
    rows = [Interval("up", 0.02, 0.01, 0.03, True), Interval("down", -0.02, -0.03, -0.01, True)]
    root = parse(forest_plot(rows, title="t", fmt=str, empty="-"))
    assert [classes(dot) for dot in nodes(root, "circle")] == [
        ["dot", "dot-sig"],
        ["dot", "dot-sig", "dot-neg"],
    ]
    assert ["ci", "ci-sig", "ci-neg"] in [classes(line) for line in nodes(root, "line")]


def test_line_chart_breaks_at_missing_values_and_marks_every_point() -> None:
    series = [
        Series("overall", [("2024-05-01", 0.5), ("2024-05-02", 0.6), ("2024-05-03", None),
                           ("2024-05-04", 0.7), ("2024-05-05", 0.8)]),
        Series("once", [("2024-05-03", 0.4)]),
    ]  # fmt: skip
    root = parse(line_chart(series, title="t", fmt=pct, empty="-"))
    (path,) = nodes(root, "path")
    assert classes(path) == ["line", "series-0"] and path.get("d", "").count("M") == 2
    points = nodes(root, "circle")
    assert [p.findtext(NS + "title") for p in points][-2:] == [
        "overall · 2024-05-05: 80%",
        "once · 2024-05-03: 40%",
    ]
    assert classes(points[-1]) == ["point", "series-1"]
    xs = [floats(p, "cx")[0] for p in points[:4]]
    assert xs == sorted(xs)
    assert floats(points[-1], "cx")[0] == pytest.approx((xs[1] + xs[2]) / 2, abs=0.1)
    legend = [n.text for n in nodes(root, "text") if "legend-label" in classes(n)]
    assert legend == ["overall", "once"]


@pytest.mark.parametrize(
    ("values", "zero"), [((0.3, 0.9), True), ((0.80, 0.83), False), ((3.0, 3.0), True)]
)
def test_value_axis_starts_at_zero_when_the_data_reach_towards_it(
    values: tuple[float, float], zero: bool
) -> None:
    series = Series("s", [(f"2024-05-0{i + 1}", v) for i, v in enumerate(values)])
    root = parse(line_chart([series], title="t", fmt=str, empty="-"))
    ticks = [float(n.text or "") for n in nodes(root, "text") if n.get("text-anchor") == "end"]
    assert (min(ticks) == 0) is zero
    assert min(ticks) <= min(values) and max(ticks) >= max(values)


def test_sparkline_is_small_and_breaks_at_gaps() -> None:
    root = parse(sparkline([0.1, 0.2, None, 0.4, None, 0.3, 0.35], label="coverage"))
    assert root.get("viewBox") == "0 0 80 16" and root.get("aria-label") == "coverage"
    (path,) = nodes(root, "path")
    assert path.get("d", "").count("M") == 2
    assert [classes(c) for c in nodes(root, "circle")] == [["spark-dot"]]  # 0.4, alone
    single = parse(sparkline([None, 0.5], label="x"))
    assert [classes(c) for c in nodes(single, "circle")] == [["spark-dot"]]
    assert "xmlns" not in sparkline([0.1, 0.2], label="x", inline=True)
    assert not nodes(parse(sparkline([None, None], label="x")), "path")


def test_histogram_bar_heights_follow_counts() -> None:
    root = parse(histogram([2, 4, 0, 1], [0, 0.25, 0.5, 0.75, 1], title="t", fmt=pct, empty="-"))
    rects = nodes(root, "rect")
    heights = [floats(rect, "height")[0] for rect in rects]
    assert heights[1] == pytest.approx(2 * heights[0], abs=0.1) and heights[2] == 0
    assert heights[0] == pytest.approx(2 * heights[3], abs=0.1)
    assert rects[0].findtext(NS + "title") == "[0%, 25%): 2"
    assert rects[-1].findtext(NS + "title") == "[75%, 100%]: 1"
    for counts, edges in (([1, 2], [0.0, 1.0]), ([1], [1.0, 0.0]), ([-1], [0.0, 1.0])):
        with pytest.raises(ValueError, match="histogram"):
            histogram(counts, edges, title="t", fmt=pct, empty="-")


def test_uneven_bins_are_drawn_evenly_under_their_edges() -> None:
    # the coverage distribution's bins: their labels must not print over each other
    edges = [0.0, 0.001, 0.01, 0.05, 0.2, 0.5, 0.8, 1.0]
    fine = lambda value: f"{value:.1%}"  # noqa: E731
    root = parse(histogram([1] * 7, edges, title="t", fmt=fine, empty="-"))
    rects = nodes(root, "rect")
    widths = [floats(rect, "width")[0] for rect in rects]
    assert max(widths) - min(widths) < 0.01
    step = floats(rects[1], "x")[0] - floats(rects[0], "x")[0]
    ticks = [t for t in nodes(root, "text") if "tick" in classes(t) and "%" in (t.text or "")]
    assert [t.text for t in ticks] == [fine(edge) for edge in edges]  # every edge, in order
    places = [floats(t, "x")[0] for t in ticks]
    assert all(abs(b - a - step) < 0.2 for a, b in pairwise(places))  # drawn to 0.1 px
    assert step > max(text_width(fine(edge)) for edge in edges)  # room for each label


def test_nice_ticks_are_round_and_cover_the_range() -> None:
    assert nice_ticks(0, 0.83) == [0, 0.2, 0.4, 0.6, 0.8, 1.0]
    assert nice_ticks(-0.013, 0.031, 4) == [-0.02, 0, 0.02, 0.04]
    assert nice_ticks(120, 480) == [100, 200, 300, 400, 500]
    assert nice_ticks(0, 0) == [0, 0.2, 0.4, 0.6, 0.8, 1.0]
    assert nice_ticks(0, 3, 4, whole=True) == [0, 1, 2, 3]


def test_size_grows_linearly_with_rows() -> None:
    def size(n: int) -> int:
        bars = [Bar(f"tag_{i:05d}", i / n, href=f"#tag-{i}") for i in range(n)]
        return len(bar_chart(bars, title="t", fmt=pct, empty="-"))

    assert size(2000) < 2.05 * size(1000)
    assert size(1000) / 1000 < 400  # bytes per row
