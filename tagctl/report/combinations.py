"""The operator's tag combinations: campaigns that select with the same set of tags.

Everything shown is the run's `combinations` as it stands (see
`tagctl/kpi/result.py`): the largest `kpi.combinations.top_n` by members,
each with its tags, campaigns, members, both groups' conversion rates, the
lift with its 95% interval, the q-value of the combinations' own
Benjamini-Hochberg family, significance and ROI. A run without the campaign
tables says so, with its own note about why when it has one; a run whose
campaigns never combine tags says that.
"""

from __future__ import annotations

from collections.abc import Sequence

from tagctl.kpi.result import Combination
from tagctl.report.context import Context
from tagctl.report.model import Cell, Column, Row, Section, Table
from tagctl.report.returns import because, roi_cell

TABLES = ("campaign_tags", "campaign_members")
NUMERIC = (
    "col_campaigns",
    "col_members",
    "col_treatment",
    "col_control",
    "col_lift",
    "col_interval",
    "col_q",
)


def combinations(ctx: Context) -> Section:
    """The section: not measured, none found, or the top combinations by members."""
    say, found = ctx.say, ctx.run.combinations
    top = ctx.settings.combinations_top_n
    section = Section("combinations", say("sec_combinations"), wide=True)
    if found is None:
        reason = because(ctx, TABLES, "combinations_no_tables")
        section.note = say("combinations_not_measured", reason=reason)
        return section
    if not found:
        section.note = say("combinations_none")
        return section
    shown = top_combinations(found, top)
    section.note = say("combinations_note", n=len(shown))
    section.tables = [_table(ctx, shown, len(found))]
    return section


def top_combinations(found: Sequence[Combination], n: int) -> list[Combination]:
    """The `n` combinations with the most members; among equals, by their tags."""
    return sorted(found, key=lambda item: (-item.members, item.tags))[:n]


def _table(ctx: Context, shown: Sequence[Combination], total: int) -> Table:
    say = ctx.say
    columns = (
        Column(say("col_tags")),
        *(Column(say(key), numeric=True) for key in NUMERIC),
        Column(say("col_significant")),
        Column(say("col_roi"), numeric=True),
    )
    caption = ""
    if total > len(shown):
        caption = say("combinations_cap", shown=len(shown), total=say.number(total))
    rows = tuple(Row(_cells(ctx, item), search=" ".join(item.tags)) for item in shown)
    return Table(columns, rows, say("none_found"), caption)


def _cells(ctx: Context, item: Combination) -> tuple[Cell, ...]:
    say = ctx.say
    labels = [ctx.label(name) for name in item.tags]
    names = " + ".join(item.tags)
    sub = " + ".join(labels) if labels != item.tags else ""
    yes = bool(item.significant)
    return (
        Cell(names, names, sub=sub),
        Cell(say.number(item.campaigns), item.campaigns),
        Cell(say.number(item.members), item.members),
        Cell(say.percent(item.treatment.rate), item.treatment.rate),
        Cell(say.percent(item.control.rate), item.control.rate),
        Cell(say.points(item.absolute_lift), item.absolute_lift),
        Cell(f"[{say.points(item.ci_low)}, {say.points(item.ci_high)}]", item.ci_low),
        Cell(say.number(item.q_value, 4), item.q_value),
        Cell(say("yes") if yes else say("no"), int(yes), css="sig" if yes else ""),
        roi_cell(ctx, item.roi),
    )
