"""The plan of one KPI run, and the time rules every statement shares.

`Plan` is what each statement builder needs to know: the measured tags,
the window, the population's definition and the choices that depend on
the warehouse's dialect. The time rules: `in_window` (the measuring window)
and the point-in-time rule, `after` and `known` (a row dated at or after
`as_of` did not exist yet); `late_notes` says how many rows it left out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import DateTime, and_, bindparam, case, or_
from sqlalchemy.sql import ColumnElement

from tagctl.catalog.tags import Tag
from tagctl.kpi.dialects import BITS_DIALECTS, INLINE_DIALECTS, VALUES_DIALECTS

Row = Mapping[str, Any]  # one result row of a statement, by column label


@dataclass(frozen=True)
class Plan:
    """What every query needs to know about one run."""

    tags: Sequence[Tag]
    categories: Sequence[str]
    as_of: dt.datetime
    window_days: int
    attribution_days: int
    active_only: bool
    unique: bool
    known_users: bool = False  # every tag_values user is a users row (declared in config)
    row_values: bool = False  # constants as a VALUES list (see dialects.VALUES_DIALECTS)
    bits: bool = False  # a bitwise-OR aggregate exists (see dialects.BITS_DIALECTS)
    texts_inline: bool = False  # wide columns as text in place, no subquery (INLINE_DIALECTS)

    def for_dialect(self, name: str) -> Plan:
        """This plan with the choices that depend on the warehouse's dialect."""
        return replace(
            self,
            row_values=name in VALUES_DIALECTS,
            bits=name in BITS_DIALECTS,
            texts_inline=name in INLINE_DIALECTS,
        )

    @property
    def start(self) -> dt.datetime:
        return self.as_of - dt.timedelta(days=self.window_days)


def moment(name: str, value: dt.datetime) -> ColumnElement[dt.datetime]:
    return bindparam(name, value, type_=DateTime())


def flag(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return case((condition, 1), else_=0)


def in_window(col: ColumnElement[Any], plan: Plan) -> ColumnElement[bool]:
    return and_(col >= moment("window_start", plan.start), col < moment("as_of", plan.as_of))


def after(col: ColumnElement[Any], plan: Plan) -> ColumnElement[bool]:
    """The point-in-time rule: a row dated at or after `as_of` did not exist yet.

    Such rows are left out of every KPI of the run (docs/kpi.md, "Point in time"); a NULL
    time is never after `as_of`. Passes that read a table whole count them
    (`late`) for the run's notes.
    """
    return col >= moment("as_of", plan.as_of)


def known(col: ColumnElement[Any], plan: Plan) -> ColumnElement[bool]:
    """The row existed at `as_of`: its time is before it, or NULL (undated)."""
    return or_(col.is_(None), col < moment("as_of", plan.as_of))


def late_notes(counts: Mapping[str, int], as_of: dt.datetime) -> list[str]:
    """The run's notes on rows dated at or after as_of and left out, by table.

    The wide statement and the usage pass count them; the long layout's values
    pass only filters them (a count there would slow the largest pass).
    """
    moment = as_of.isoformat(timespec="seconds")
    return [
        f"{table}: {count} row{'s' if count != 1 else ''} of the measured tags dated at or"
        f" after as_of ({moment}) left out"
        for table, count in counts.items()
        if count
    ]
