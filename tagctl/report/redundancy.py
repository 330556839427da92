"""The administrator's redundancy section: tags whose holders are one audience.

Everything shown is the KPI run's `catalog.redundancy` as it stands (see
`tagctl/kpi/redundancy.py`): the redundancy rate as the section's headline
card, then its pairs with the highest Jaccard index (the report's `top_n`),
as an Euler bar chart (A only, both, B only) and as a table with every
figure of each pair. A tag that carries the run's `redundant` alert is
marked so in the table: it is the one to merge into the other. A run that
did not measure redundancy says so, with the run's own note about why when
it has one; a run that found no pairs says that.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup

from tagctl.kpi.result import Overlap, Redundancy
from tagctl.report.context import Context
from tagctl.report.euler import Split, euler_chart
from tagctl.report.model import Card, Cell, Column, Row, Section, Table

NOTE_PREFIX = "redundancy"  # the KPI run's notes about this pass start with it


def redundancy(ctx: Context) -> Section:
    """The section: not measured, nothing found, or the rate, the chart and the table."""
    say, found = ctx.say, ctx.catalog.redundancy
    section = Section("redundancy", say("sec_redundancy"), wide=True)
    if found is None:
        section.note = _not_measured(ctx)
        return section
    section.cards = [_rate_card(ctx, found)]
    if not found.pairs:
        section.note = say("redundancy_none")
        return section
    pairs = top_pairs(found.pairs, ctx.top_n)
    section.note = say("redundancy_note", alert=say.alert("redundant"))
    section.charts = [_chart(ctx, pairs)]
    section.tables = [_table(ctx, pairs, len(found.pairs))]
    return section


def top_pairs(pairs: Sequence[Overlap], n: int) -> list[Overlap]:
    """The `n` pairs with the highest Jaccard index, in the run's order among equals."""
    return sorted(pairs, key=lambda pair: -pair.jaccard)[:n]


def _not_measured(ctx: Context) -> str:
    say = ctx.say
    why = [say("redundancy_noted", note=n) for n in ctx.run.notes if n.startswith(NOTE_PREFIX)]
    return say("redundancy_not_measured", reason="; ".join(why) or say("redundancy_off"))


def _rate_card(ctx: Context, found: Redundancy) -> Card:
    level = "warning" if found.rate else None
    return Card(ctx.say("card_redundancy_rate"), ctx.say.percent(found.rate), level)


def named(pair: Overlap, side: int) -> str:
    """One side of a pair as `tag`, or `tag=value` for an enum value's holders."""
    value = (pair.values or [None, None])[side]
    name = pair.tags[side]
    return name if value is None else f"{name}={value}"


def _chart(ctx: Context, pairs: Sequence[Overlap]) -> Markup:
    say = ctx.say
    splits = [
        Split(
            named(pair, 0),
            named(pair, 1),
            max(pair.holders[0] - pair.intersection, 0),
            pair.intersection,
            max(pair.holders[1] - pair.intersection, 0),
            say.number(pair.jaccard, 3),
            href_a=f"#tag-{pair.tags[0]}",
            href_b=f"#tag-{pair.tags[1]}",
        )
        for pair in pairs
    ]
    return euler_chart(
        splits,
        title=say("chart_overlap", n=ctx.top_n),
        keys=(say("overlap_only_a"), say("overlap_both"), say("overlap_only_b")),
        value_head=say("col_jaccard"),
        empty=say("no_data"),
    )


def _columns(ctx: Context) -> tuple[Column, ...]:
    say = ctx.say
    text = ("col_tag_a", "col_tag_b", "col_kind")
    numeric = ("col_holders_a", "col_holders_b", "col_intersection", "col_jaccard", "col_phi")
    rates = ("col_a_in_b", "col_b_in_a")
    return (
        *(Column(say(key)) for key in text),
        *(Column(say(key), numeric=True) for key in (*numeric, *rates)),
    )


def _table(ctx: Context, pairs: Sequence[Overlap], total: int) -> Table:
    say = ctx.say
    caption = ""
    if total > len(pairs):
        caption = say("pairs_cap", shown=len(pairs), total=say.number(total))
    rows = tuple(Row(_cells(ctx, pair)) for pair in pairs)
    return Table(_columns(ctx), rows, say("none_found"), caption)


def _cells(ctx: Context, pair: Overlap) -> tuple[Cell, ...]:
    say = ctx.say
    return (
        _side_cell(ctx, pair, 0),
        _side_cell(ctx, pair, 1),
        Cell(say(f"kind_{pair.kind}") if pair.kind in ("duplicate", "contained") else pair.kind),
        Cell(say.number(pair.holders[0]), pair.holders[0]),
        Cell(say.number(pair.holders[1]), pair.holders[1]),
        Cell(say.number(pair.intersection), pair.intersection),
        Cell(say.number(pair.jaccard, 3), pair.jaccard),
        Cell(say.number(pair.phi, 3), pair.phi),
        Cell(say.percent(pair.a_in_b), pair.a_in_b),
        Cell(say.percent(pair.b_in_a), pair.b_in_a),
    )


def _side_cell(ctx: Context, pair: Overlap, side: int) -> Cell:
    """`tag` or `tag=value`, linking to the tag's entry; under it, its label and alert mark."""
    name, text = pair.tags[side], named(pair, side)
    label = ctx.label(name)
    marks = [label] if label != name else []
    if any(alert.code == "redundant" for alert in ctx.kpi(name).alerts):
        marks.append(ctx.say.alert("redundant"))
    return Cell(text, text, link=name, sub=" · ".join(marks))
