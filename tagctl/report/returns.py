"""Return on campaign cost, as the views show it: a tag's, a combination's, the catalog's.

Every figure is the run's `roi` block as it stands (`tagctl/kpi/result.py`:
cost, incremental revenue, ROI). A missing figure is "–" with the reason
the block gives: no costs table (the run's note about campaign_costs, when
it has one), a campaign without a cost, a zero cost, no control group. The
operator's ROI section lists the tags with a block.
"""

from __future__ import annotations

import re

from tagctl.kpi.result import Roi
from tagctl.report.context import Context
from tagctl.report.model import Cell, Section
from tagctl.report.tables import num, tag_table

COSTS = "campaign_costs"


def notes_about(ctx: Context, *tables: str) -> list[str]:
    """The run's notes that name one of the logical `tables`."""
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, tables)) + r")\b")
    return [note for note in ctx.run.notes if pattern.search(note)]


def because(ctx: Context, tables: tuple[str, ...], fallback: str) -> str:
    """Why a figure of `tables` is missing: the run's notes about them, else `fallback`."""
    say = ctx.say
    noted = [say("run_noted", note=note) for note in notes_about(ctx, *tables)]
    return "; ".join(noted) or say(fallback)


def no_costs(ctx: Context) -> str:
    """Why a run has no ROI at all: its note about campaign_costs, else no such table."""
    return because(ctx, (COSTS,), "roi_no_costs")


def roi_reason(ctx: Context, roi: Roi | None) -> str:
    """Why a block has no ROI ("" when it has one)."""
    if roi is None:
        return no_costs(ctx)
    if roi.roi is not None:
        return ""
    say = ctx.say
    if roi.cost is None:
        return say("why_missing_cost")
    if roi.incremental_revenue is None:
        return say("why_no_control_group")
    return say("why_zero_cost") if roi.cost <= 0 else ""


def roi_cell(ctx: Context, roi: Roi | None) -> Cell:
    """The ROI (two decimals), or "–" with the reason beneath."""
    value = None if roi is None else roi.roi
    return Cell(ctx.say.number(value, 2), value, sub=roi_reason(ctx, roi))


def money_cell(ctx: Context, value: float | None) -> Cell:
    return Cell(ctx.say.number(value), value)


def roi_section(ctx: Context) -> Section:
    """The tags' return on their campaigns' cost, the highest ROI first."""
    say = ctx.say
    section = Section("roi", say("sec_roi"), wide=True)
    found = {name: kpi.roi for name, kpi in ctx.kpis.items() if kpi.roi is not None}
    if not found:  # no costs, or no campaigns: no block at all
        campaigns = any((kpi.conversion and kpi.conversion.campaigns) for kpi in ctx.kpis.values())
        costless = campaigns or notes_about(ctx, COSTS)
        section.note = (
            say("roi_not_computed", reason=no_costs(ctx)) if costless else say("roi_none")
        )
        return section
    section.note = say("roi_note")
    names = sorted(found, key=lambda n: (found[n].roi is None, -(found[n].roi or 0.0), n))
    section.tables = [
        tag_table(
            ctx,
            names,
            [
                num(say("col_cost"), lambda n: money_cell(ctx, found[n].cost)),
                num(
                    say("col_incremental_revenue"),
                    lambda n: money_cell(ctx, found[n].incremental_revenue),
                ),
                num(say("col_roi"), lambda n: roi_cell(ctx, found[n])),
            ],
        )
    ]
    return section
