"""The wide layout: one row per user holding any tag, one typed column per tag.

Pivoting the long rows would cost one pass over them per tag, so each
user's position `k` in a tag's permutation is computed directly instead:
`k = (user_id - 1 - shift) * stride^-1 mod users`. The user has a row of
the tag when `k < rows`, and its value is the one the long layout holds,
from the same macro. Column names are tag names, quoted as identifiers;
everything else enters as parameters.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from tagctl.demo.plan import TagPlan

RESERVED = ("user_id", "updated_at")


def quote(name: str) -> str:
    """`name` as a DuckDB identifier."""
    return '"' + name.replace('"', '""') + '"'


def wide_statement(
    plans: Sequence[TagPlan], users: int, as_of: dt.datetime, seed: int
) -> tuple[str, dict[str, object]]:
    """The CREATE TABLE of the wide tag_values table and its parameters."""
    params: dict[str, object] = {"users": users, "as_of": as_of, "seed": seed}
    positions, columns, present = ["user_id"], [], []
    for index, plan in enumerate(plans):
        params.update(_params(index, plan, users))
        positions.append(
            f"(user_id - 1 - $shift_{index} + $users) * $inverse_{index} % $users AS k_{index}"
        )
        columns.append(_column(index, plan))
        present.append(f"k_{index} < $rows_{index}")
    # The wide table is refreshed as a whole: every user's row minutes before as_of.
    updated = "$as_of - to_seconds(CAST(120 + demo_hash($seed, user_id, 9) % 2580 AS BIGINT))"
    statement = (
        "CREATE TABLE tag_values AS SELECT user_id, "
        + "".join(f"{column}, " for column in columns)
        + f"{updated} AS updated_at FROM (SELECT "
        + ", ".join(positions)
        + " FROM range(1, $users + 1) AS r(user_id)) WHERE "
        + (" OR ".join(present) or "false")
    )
    return statement, params


def _column(index: int, plan: TagPlan) -> str:
    value = (
        f"demo_value($kind_{index}, $salt_{index}, user_id, k_{index}, $holders_{index},"
        f" $choices_{index}, $low_{index}, $high_{index}, $skew_{index}, $bad_rate_{index},"
        f" $bad_value_{index}, $as_of, $copy_rows_{index}, $copy_value_{index})"
    )
    if column_type(plan) != "VARCHAR":
        value = f"CAST(NULLIF({value}, '') AS {column_type(plan)})"
    return f"CASE WHEN k_{index} < $rows_{index} THEN {value} END AS {quote(plan.name)}"


def column_type(plan: TagPlan) -> str:
    """Native type, or VARCHAR for a tag with planted out-of-domain text."""
    return "VARCHAR" if plan.bad_rate else plan.domain.sql_type


def _params(index: int, plan: TagPlan, users: int) -> dict[str, object]:
    domain = plan.domain
    values: dict[str, object] = {
        "shift": plan.shift,
        "inverse": pow(plan.stride, -1, users),
        "rows": plan.rows,
        "kind": domain.kind,
        "salt": plan.salt,
        "holders": plan.holders,
        "choices": list(domain.choices),
        "low": domain.low,
        "high": domain.high,
        "skew": domain.skew,
        "bad_rate": plan.bad_rate,
        "bad_value": domain.bad_value or "",
        "copy_rows": plan.copy_rows,
        "copy_value": plan.copy_value,
    }
    return {f"{key}_{index}": value for key, value in values.items()}
