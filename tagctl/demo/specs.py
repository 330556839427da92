"""The plans as rows of the temporary spec tables that the SQL reads."""

from __future__ import annotations

from collections.abc import Sequence

import duckdb

from tagctl.demo import sql
from tagctl.demo.campaigns import AMOUNT_SKEW, CampaignPlan, Campaigns
from tagctl.demo.plan import TagPlan, rng

CONSUMERS = (
    ("segment", "seg_"),
    ("model", "mdl_"),
    ("push", "push_"),
    ("api", "api_"),
    ("report", "rpt_"),
)
DEPARTMENTS = ("marketing", "crm", "clinic_ops", "ecommerce", "data_science", "store_ops")
BATCHES = 10  # tag values are written in this many steps, for progress


def write_specs(
    con: duckdb.DuckDBPyConnection, plans: Sequence[TagPlan], campaigns: Campaigns, seed: int
) -> int:
    """Create and fill the spec tables; the number of tag-value batches."""
    for statement in (sql.SPEC_TAGS, sql.SPEC_USAGE, sql.SPEC_CAMPAIGNS):
        con.execute(statement)
    batches = _batches(plans)
    tag_rows = [_tag_row(p, batches[p.name], campaigns) for p in plans]
    _insert(con, "demo_tags", tag_rows)
    _insert(con, "demo_usage", [_usage_row(p, seed) for p in plans if p.uses])
    _insert(con, "demo_campaigns", [_campaign_row(c) for c in campaigns.campaigns])
    return max(batches.values(), default=-1) + 1


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[tuple[object, ...]]) -> None:
    """One statement for all rows: each column is a list parameter, unnested side by side."""
    if not rows:
        return
    columns = [list(column) for column in zip(*rows, strict=True)]
    unnests = ", ".join(["unnest(?)"] * len(columns))
    con.execute(f"INSERT INTO {table} SELECT {unnests}", columns)  # table: a spec table name


def _batches(plans: Sequence[TagPlan]) -> dict[str, int]:
    """Consecutive tags grouped into up to BATCHES batches of about equal rows."""
    total = max(1, sum(p.rows for p in plans))
    batches, before = {}, 0
    for p in plans:
        batches[p.name] = min(BATCHES - 1, before * BATCHES // total)
        before += p.rows
    return batches


def _tag_row(plan: TagPlan, batch: int, campaigns: Campaigns) -> tuple[object, ...]:
    domain = plan.domain
    return (
        plan.name,
        batch,
        domain.kind,
        plan.salt,
        plan.holders,
        plan.extra,
        plan.stride,
        plan.shift,
        list(domain.choices),
        domain.low,
        domain.high,
        domain.skew,
        plan.bad_rate,
        domain.bad_value or "",
        plan.newest,
        max(1, plan.spread),
        campaigns.boosts.get(plan.name, 1.0),
        plan.copy_rows,
        plan.copy_value,
        campaigns.baskets.get(plan.name, AMOUNT_SKEW),
    )


def _usage_row(plan: TagPlan, seed: int) -> tuple[object, ...]:
    draw = rng(seed, plan.name, "consumers")
    consumers, departments = list(CONSUMERS), list(DEPARTMENTS)
    draw.shuffle(consumers)  # each tag has its own main consumer and department
    draw.shuffle(departments)
    return (
        plan.name,
        plan.salt,
        plan.uses,
        plan.zombie,
        [kind for kind, _ in consumers],
        [prefix for _, prefix in consumers],
        departments,
    )


def _campaign_row(campaign: CampaignPlan) -> tuple[object, ...]:
    return (
        campaign.campaign_id,
        list(campaign.tags),
        campaign.salt,
        campaign.size,
        campaign.start,
        campaign.rate,
        campaign.lift,
        campaign.fast,
        campaign.response_rate,
        campaign.source.holders,
        campaign.source.stride,
        campaign.source.shift,
        campaign.mix_stride,
        campaign.mix_shift,
        list(campaign.costs),
    )
