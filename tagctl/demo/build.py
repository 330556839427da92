"""Writing the demo warehouse: plan in Python, generate in DuckDB, swap in atomically.

The file is built under a temporary name next to `out` and renamed over it
at the end, so a failed or interrupted build leaves the previous warehouse
as it was and no temporary file behind.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import duckdb

from tagctl.catalog.tags import Tag
from tagctl.demo import sql
from tagctl.demo.campaigns import (
    AMOUNT_SKEW,
    CONTROL_SHARE,
    DELIVERED,
    FAST_SKEW,
    Campaigns,
    background_rate,
    plan_campaigns,
)
from tagctl.demo.plan import TagPlan, plan_tags
from tagctl.demo.specs import write_specs
from tagctl.demo.wide import RESERVED, wide_statement
from tagctl.errors import RuntimeFailure, UsageError
from tagctl.kpi.settings import TABLES as LOGICAL_TABLES

LAYOUTS = ("long", "wide")
TABLES = tuple(LOGICAL_TABLES)  # the tables of DESIGN.md section 5, default names
ACTIVE_SHARE = 0.85

Progress = Callable[[str, float], None]


@dataclass(frozen=True)
class DemoSummary:
    """What was written, and the facts planted in it for the KPIs to find.

    `stale_tags` is empty in the wide layout: its single `updated_at` per
    user cannot make one tag older than another.
    """

    path: Path
    users: int
    layout: str
    seed: int
    as_of: dt.datetime
    rows: Mapping[str, int]
    coverage: Mapping[str, float]  # the target coverage of every tag with rows
    stale_tags: tuple[str, ...]
    violation_tags: tuple[str, ...]
    zombie_tags: tuple[str, ...]
    lift_tags: tuple[str, ...]
    quality_tags: tuple[str, ...]
    # the set of tags of the campaigns planted with a lift together; () when there is none
    combination: tuple[str, ...]
    fast_tags: tuple[str, ...]  # their campaigns' treatment converts sooner than control
    basket_tags: tuple[str, ...]  # their holders' conversions have larger amounts
    # (tag, the tag or tag=value whose holders it overlaps): planted redundant pairs
    redundant_pairs: tuple[tuple[str, str], ...]

    @property
    def tag_rows(self) -> int:
        return self.rows["tag_values"]


@dataclass(frozen=True)
class _Job:
    plans: tuple[TagPlan, ...]
    campaigns: Campaigns
    users: int
    seed: int
    as_of: dt.datetime
    layout: str


def build_demo(
    tags: Sequence[Tag],
    out: Path,
    *,
    users: int = 100_000,
    seed: int = 7,
    as_of: dt.datetime,
    layout: str = "long",
    progress: Progress | None = None,
) -> DemoSummary:
    """Write a demo warehouse for `tags` to the DuckDB file `out`, replacing it.

    The same tags, users, seed, as_of and layout give the same table contents.
    Draft and retired tags get no rows. Raises RuntimeFailure when the file
    cannot be written.
    """
    if layout not in LAYOUTS:
        raise UsageError(f"unknown layout '{layout}' (choose from {', '.join(LAYOUTS)})")
    if users < 1:
        raise UsageError(f"a demo warehouse needs at least one user, not {users}")
    if not 0 <= seed < 2**63:
        raise UsageError(f"the seed must be a whole number from 0 to 2**63 - 1, not {seed}")
    as_of = naive_utc(as_of)
    plans = plan_tags(tags, users, seed, as_of)
    if layout == "wide":
        _check_columns(plans)
    job = _Job(plans, plan_campaigns(plans, users, seed, as_of), users, seed, as_of, layout)
    step = progress or _quiet
    rows = _write_atomically(out, lambda con: _fill(con, job, step))
    step("finishing", 1.0)
    return _summary(out, job, rows)


def naive_utc(moment: dt.datetime) -> dt.datetime:
    """`moment` as a naive UTC timestamp, the warehouse's convention."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(dt.UTC).replace(tzinfo=None)


def _quiet(stage: str, fraction: float) -> None:
    return None


def _check_columns(plans: Sequence[TagPlan]) -> None:
    for plan in plans:
        if plan.name in RESERVED:
            raise UsageError(f"tag '{plan.name}' would clash with a column of the wide layout")


def _write_atomically(
    out: Path, fill: Callable[[duckdb.DuckDBPyConnection], dict[str, int]]
) -> dict[str, int]:
    if out.is_dir():
        raise RuntimeFailure("cannot write the demo warehouse: it is a directory", path=out)
    temporary = out.with_name(f".{out.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")
    try:
        con = duckdb.connect(str(temporary))
        try:
            rows = fill(con)
            con.execute("CHECKPOINT")
        finally:
            con.close()
        os.replace(temporary, out)
    except duckdb.Error as exc:
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise RuntimeFailure(f"cannot write the demo warehouse: {message}", path=out) from exc
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise RuntimeFailure(f"cannot write the demo warehouse: {reason}", path=out) from exc
    finally:
        for leftover in (temporary, Path(f"{temporary}.wal")):
            leftover.unlink(missing_ok=True)
    # A write-ahead log left by a crash belongs to the file just replaced.
    Path(f"{out}.wal").unlink(missing_ok=True)
    return rows


def _fill(con: duckdb.DuckDBPyConnection, job: _Job, step: Progress) -> dict[str, int]:
    step("users", 0.0)
    for statement in (*sql.MACROS, *sql.TABLES):
        con.execute(statement)
    batches = write_specs(con, job.plans, job.campaigns, job.seed)
    params = {"seed": job.seed, "users": job.users, "active": ACTIVE_SHARE}
    con.execute(sql.USERS, params)
    _tag_values(con, job, batches, step)
    step("usage", 0.8)
    con.execute(sql.USAGE, {"as_of": job.as_of})
    step("campaigns", 0.83)
    _campaigns(con, job)
    step("conversions", 0.88)
    _conversions(con, job)
    step("finishing", 0.93)
    for statement in sql.DROP_SPECS:
        con.execute(statement)
    return {table: _count(con, table) for table in TABLES}


def _tag_values(con: duckdb.DuckDBPyConnection, job: _Job, batches: int, step: Progress) -> None:
    step("tag values", 0.05)
    if job.layout == "wide":
        statement, params = wide_statement(job.plans, job.users, job.as_of, job.seed)
        con.execute(statement, params)
        return
    con.execute(sql.LONG_TABLE)
    for batch in range(batches):
        con.execute(sql.LONG_VALUES, {"users": job.users, "as_of": job.as_of, "batch": batch})
        step("tag values", 0.05 + 0.75 * (batch + 1) / batches)


def _campaigns(con: duckdb.DuckDBPyConnection, job: _Job) -> None:
    con.execute(sql.CAMPAIGN_TAGS)
    con.execute(sql.CAMPAIGN_COSTS)
    con.execute(sql.MEMBERS, {"users": job.users, "control": CONTROL_SHARE})
    con.execute(sql.TOUCHES, {"as_of": job.as_of, "delivered": DELIVERED})


def _conversions(con: duckdb.DuckDBPyConnection, job: _Job) -> None:
    con.execute(sql.BOOSTS, {"users": job.users, "skew": AMOUNT_SKEW})
    params = {"as_of": job.as_of, "skew": AMOUNT_SKEW, "fast_skew": FAST_SKEW}
    con.execute(sql.ATTRIBUTED, params)
    rate = background_rate(job.plans, job.campaigns.boosts)
    params = {"as_of": job.as_of, "seed": job.seed, "rate": rate, "skew": AMOUNT_SKEW}
    con.execute(sql.BACKGROUND, params)


def _count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    row = con.execute(f"SELECT count(*) FROM {table}").fetchone()  # a name of TABLES
    return int(row[0]) if row else 0


def _summary(out: Path, job: _Job, rows: dict[str, int]) -> DemoSummary:
    plans = job.plans
    return DemoSummary(
        path=out,
        users=job.users,
        layout=job.layout,
        seed=job.seed,
        as_of=job.as_of,
        rows=MappingProxyType(rows),
        coverage=MappingProxyType({p.name: p.coverage for p in plans}),
        stale_tags=tuple(p.name for p in plans if p.stale and job.layout == "long"),
        violation_tags=tuple(p.name for p in plans if p.bad_rate),
        zombie_tags=tuple(p.name for p in plans if p.zombie),
        lift_tags=job.campaigns.lift_tags,
        quality_tags=tuple(job.campaigns.boosts),
        combination=job.campaigns.combination,
        fast_tags=job.campaigns.fast_tags,
        basket_tags=tuple(job.campaigns.baskets),
        redundant_pairs=tuple((p.name, p.follows) for p in plans if p.follows),
    )
