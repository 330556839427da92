"""Building blocks of the role views: tag tables and their cells.

A view lists tags in a `tag_table`: the tag (its name, linking to its detail
entry, with its label beneath), then one `Field` per column.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from tagctl.report.context import Context
from tagctl.report.model import Cell, Column, Row, Table

CellMaker = Callable[[str], Cell]
LIST_CAP = 100  # rows of a role view's list; the catalog list has every tag
RANK = {"alert": 2, "warning": 1}  # a tag's highest alert level, as a sort key


@dataclass(frozen=True)
class Field:
    """A column of a tag table: its header and how to make its cell for a tag."""

    label: str
    make: CellMaker
    numeric: bool = False


def num(label: str, make: CellMaker) -> Field:
    return Field(label, make, numeric=True)


def text(label: str, make: CellMaker) -> Field:
    return Field(label, make)


def tag_table(
    ctx: Context, names: Iterable[str], fields: Sequence[Field], search: str = ""
) -> Table:
    """A table with one row per tag: the tag (name and label), then `fields`.

    A long list shows its first `LIST_CAP` tags and says how to find the rest
    in the catalog list: by searching for `search` (an alert code, say).
    """
    say, names = ctx.say, list(names)
    heads = (Column(say("col_tag")), *(Column(f.label, f.numeric) for f in fields))
    rows = tuple(
        Row((tag_cell(ctx, name), *(f.make(name) for f in fields))) for name in names[:LIST_CAP]
    )
    caption = ""
    if len(names) > LIST_CAP:
        total = say.number(len(names))
        caption = say("list_cap", shown=LIST_CAP, total=total, search=search or "…")
    return Table(heads, rows, say("none_found"), caption)


def tag_cell(ctx: Context, name: str) -> Cell:
    """The tag's name, linking to its entry, with its label beneath."""
    label = ctx.label(name)
    return Cell(name, name, link=name, sub=label if label != name else "")


def owners_cell(ctx: Context, name: str) -> Cell:
    business, data = ctx.owners(name)
    return Cell(business or "–", sub=data)


def rate_cell(ctx: Context, value: float | None) -> Cell:
    return Cell(ctx.say.percent(value), value)


def count_cell(ctx: Context, value: int | float | None) -> Cell:
    return Cell(ctx.say.number(value), value)


def fmt_percent(ctx: Context) -> Callable[[float], str]:
    return lambda value: ctx.say.percent(value)


def decimal_cell(ctx: Context, value: float | None, digits: int) -> Cell:
    return Cell(ctx.say.number(value, digits), value)


def points_cell(ctx: Context, value: float | None) -> Cell:
    """A difference of two rates, such as a lift, in percentage points."""
    return Cell(ctx.say.points(value), value)


def tag_level(ctx: Context, name: str) -> str | None:
    return ctx.kpi(name).level()


def level_rank(level: str | None) -> int:
    return RANK.get(level or "", 0)
