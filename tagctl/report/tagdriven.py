"""The management view's tag-driven sales: what tag strategies bring in, and whom they reach.

Everything shown is the run's `catalog.tag_driven` as it stands (see
`tagctl/kpi/result.py`): headline cards for the share of sales amount and of
conversions that are tag-driven, the share of users covered by tag
strategies and the ROI of tag-linked campaigns, then a table of the figures
behind each share. A run without the campaign or conversion tables says so,
with its own note about why when it has one; a missing share or ROI is "–"
with its reason.
"""

from __future__ import annotations

from tagctl.kpi.result import TagDriven
from tagctl.report.context import Context
from tagctl.report.model import Card, Cell, Column, Row, Section, Table
from tagctl.report.returns import because, money_cell, roi_cell, roi_reason
from tagctl.report.tables import count_cell, rate_cell

TABLES = ("conversions", "campaign_tags", "campaign_members")


def tag_driven(ctx: Context) -> Section:
    """The section: not measured, or the cards and the table of the figures."""
    say, found = ctx.say, ctx.catalog.tag_driven
    section = Section("tag-driven", say("sec_tag_driven"), wide=True)
    if found is None:
        reason = because(ctx, TABLES, "tag_driven_no_tables")
        section.note = say("tag_driven_not_measured", reason=reason)
        return section
    section.note = say("tag_driven_note")
    section.cards = _cards(ctx, found)
    section.tables = [_shares(ctx, found), _returns(ctx, found)]
    return section


def _cards(ctx: Context, found: TagDriven) -> list[Card]:
    say = ctx.say
    roi = found.roi
    return [
        Card(
            say("card_tag_driven_amount"),
            say.percent(found.amount_share),
            note=_amount_reason(ctx, found),
        ),
        Card(
            say("card_tag_driven_conversions"),
            say.percent(found.conversion_share),
            note=_conversion_reason(ctx, found),
        ),
        Card(say("card_covered"), say.percent(found.covered_share)),
        Card(
            say("card_tag_roi"),
            say.number(None if roi is None else roi.roi, 2),
            note=roi_reason(ctx, roi),
        ),
    ]


def _amount_reason(ctx: Context, found: TagDriven) -> str:
    if found.amount_share is not None:
        return ""
    return ctx.say("why_no_total" if not found.total_conversions else "why_total_not_positive")


def _conversion_reason(ctx: Context, found: TagDriven) -> str:
    return "" if found.conversion_share is not None else ctx.say("why_no_total")


def _shares(ctx: Context, found: TagDriven) -> Table:
    """Each share with the two figures it divides: tag-driven and total."""
    say = ctx.say
    columns = (
        Column(say("col_figure")),
        *(Column(say(key), numeric=True) for key in ("col_tag_driven", "col_total", "col_share")),
    )
    population = ctx.run.population.size
    amount = Cell(
        say.percent(found.amount_share), found.amount_share, sub=_amount_reason(ctx, found)
    )
    conversions = Cell(
        say.percent(found.conversion_share),
        found.conversion_share,
        sub=_conversion_reason(ctx, found),
    )
    rows = (
        (
            say("row_amount"),
            money_cell(ctx, found.amount),
            money_cell(ctx, found.total_amount),
            amount,
        ),
        (
            say("row_conversions"),
            count_cell(ctx, found.conversions),
            count_cell(ctx, found.total_conversions),
            conversions,
        ),
        (
            say("row_users"),
            count_cell(ctx, found.covered_users),
            count_cell(ctx, population),
            rate_cell(ctx, found.covered_share),
        ),
    )
    return Table(
        columns, tuple(Row((Cell(label), *cells)) for label, *cells in rows), say("none_found")
    )


def _returns(ctx: Context, found: TagDriven) -> Table:
    """The cost, incremental revenue and ROI of every tag-linked campaign."""
    say, roi = ctx.say, found.roi
    columns = tuple(
        Column(say(key), numeric=True) for key in ("col_cost", "col_incremental_revenue", "col_roi")
    )
    cells = (
        money_cell(ctx, None if roi is None else roi.cost),
        money_cell(ctx, None if roi is None else roi.incremental_revenue),
        roi_cell(ctx, roi),
    )
    return Table(columns, (Row(cells),), say("none_found"))
