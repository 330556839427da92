"""What the values pass found, per tag: holders, buckets, violations, orders, last update.

`decode_values` reads the rows of the values pass (and of the holders pass,
when rows may repeat) into one `TagValues` per tag; the wide layout builds
the same records from its one row (`wide.decode_wide`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from tagctl.catalog.tags import Tag
from tagctl.kpi.plan import Plan, Row
from tagctl.kpi.population import Orders
from tagctl.kpi.relations import buckets
from tagctl.kpi.result import ValueShare
from tagctl.kpi.stats import rate


@dataclass
class TagValues:
    """One tag's holders, value buckets, domain violations and last update, as found."""

    holders: int = 0
    converted: int = 0
    violations: int = 0
    valued: int = 0  # users with a non-empty value: holders and boolean junk
    other: int = 0
    buckets: dict[str, int] = field(default_factory=dict)
    updated: dt.datetime | None = None
    distributed: bool = True  # False: the layout gives no value distribution
    bought: Orders = field(
        default_factory=Orders
    )  # the holders' conversions in the window (converted aside)

    @property
    def orders(self) -> Orders:
        """The holders' conversions in the window, with their number of converted holders."""
        return replace(self.bought, converted=self.converted)

    def shares(self, tag: Tag) -> list[ValueShare]:
        """The value buckets as shares of the holders, in their natural order."""
        return [
            ValueShare(value, count, count / self.holders if self.holders else 0.0)
            for value, count in _ordered(tag, self.buckets)
        ]

    def violation_rate(self) -> float | None:
        """Domain violations among the users with a non-empty value."""
        return rate(self.violations, self.valued or None)


def _ordered(tag: Tag, found: Mapping[str, int]) -> list[tuple[str, int]]:
    """Buckets in their natural order: bins by edge, enum values as declared, else by size."""
    order = [bucket.label for bucket in buckets(tag)] or [value.value for value in tag.values]
    rank = {label: i for i, label in enumerate(order)}
    if order:
        return sorted(found.items(), key=lambda item: (rank.get(item[0], len(rank)), item[0]))
    return sorted(found.items(), key=lambda item: (-item[1], item[0]))


def decode_values(
    plan: Plan, rows: Sequence[Row], holder_rows: Sequence[Row] | None
) -> dict[str, TagValues]:
    """Per tag name, what the rows of `values` (and of `holders`, when it ran) say."""
    found: dict[str, TagValues] = defaultdict(TagValues)
    for row in rows:
        _add_group(found[plan.tags[row["tag_id"]].name], row)
    for row in holder_rows or ():  # exact distinct holders when rows may repeat
        entry = found[row["tag_name"]]
        entry.valued += int(row["holders"]) - entry.holders
        entry.holders, entry.converted = int(row["holders"]), int(row["converted"] or 0)
        entry.bought = Orders.decode(row, 0, "")
    return found


def _add_group(entry: TagValues, row: Row) -> None:
    """Count one (bucket, holder, violation) row of the values pass into its tag's entry."""
    count, updated = int(row["rows"] or 0), row["updated"]
    if not count:  # only rows after as_of: the group did not exist then
        return
    if updated is not None and (entry.updated is None or updated > entry.updated):
        entry.updated = updated
    if row["violation"]:
        entry.violations += count
        if not row["holder"]:
            entry.valued += count  # a boolean neither true nor false
    if not row["holder"]:
        return
    entry.holders += count
    entry.valued += count
    entry.converted += int(row["converted"] or 0)
    entry.bought += Orders.decode(row, 0, "")
    if row["violation"]:
        return
    if row["other"] or row["bucket"] is None:
        entry.other += count
    else:
        entry.buckets[str(row["bucket"])] = count
