"""What the report shows, as plain records: tabs of cards, charts and tables.

The views (`admin.py`, `operator.py`, `executive.py`, `entries.py`) fill
these from the KPI run; the template only lays them out. Nothing here
computes a KPI: every number is read from the run (or from the catalog, for
definitions and owners).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup


@dataclass(frozen=True)
class Cell:
    text: str
    sort: str | float | None = None  # the value a click on the column header sorts by
    link: str | None = None  # a tag name: the cell links to its detail entry
    sub: str = ""  # a second, smaller line (a tag's label under its name)
    css: str = ""
    code: bool = False  # monospace, e.g. a command to copy


@dataclass(frozen=True)
class Column:
    label: str
    numeric: bool = False


@dataclass(frozen=True)
class Row:
    cells: tuple[Cell, ...]
    search: str = ""  # lower-cased text the search box matches
    level: str | None = None


@dataclass(frozen=True)
class Table:
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    empty: str
    caption: str = ""


@dataclass(frozen=True)
class Card:
    label: str
    value: str
    level: str | None = None
    note: str = ""


@dataclass
class Section:
    id: str
    title: str
    note: str = ""
    charts: list[Markup] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    wide: bool = False
    cards: list[Card] = field(default_factory=list)  # the section's own headline figures


@dataclass
class Tab:
    id: str
    title: str
    cards: list[Card] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)


@dataclass(frozen=True)
class Fact:
    label: str
    value: str
    link: str | None = None
    links: tuple[str, ...] = ()  # tag names, each linking to its entry


@dataclass(frozen=True)
class TagEntry:
    """One tag: its line in the catalog list, and the detail entry it opens into."""

    name: str
    label: str
    other_label: str
    level: str | None
    cells: tuple[Cell, ...]  # the line's columns after the name (Report.columns)
    description: str
    facts: tuple[Fact, ...]
    kpis: tuple[Fact, ...]
    alerts: tuple[tuple[str, str, str], ...]  # (level, label, message)
    values: str
    trend: Markup | None
    logic: str
    note: str = ""


@dataclass(frozen=True)
class Report:
    lang: str
    title: str
    subtitle: str
    facts: tuple[Fact, ...]
    notes: tuple[str, ...]
    tabs: tuple[Tab, ...]
    columns: tuple[Column, ...]  # of the catalog list: the tag, then each entry's cells
    entries: tuple[TagEntry, ...]
    footer: str
    words: dict[str, str]  # the few strings the template and the script need
