"""`tagctl import`: tag files from an existing tag list, checked whole before any is written.

Every row becomes one of:

- a **new tag file** at `tags/<category>/<name>.yaml`, a `draft` unless the
  row says otherwise, with `TODO` placeholders only for required fields the
  source left empty (lint's TG504 keeps them visible);
- **unchanged**: the catalog has that tag with the same value for every
  field the row gives (importing a file twice changes nothing);
- a **problem**, with its row: no name, no category, two rows with one name,
  a tag of that name that differs, a row with the wrong number of cells.

Names are normalised where the fix is unambiguous (Unicode width, case,
spaces and punctuation: `Visit Product 30D` -> `visit_product_30d`); the
original is kept in `display_name.en` when it reads as words and that is
empty, else in `renamed_from`. A name that still breaks the naming rules is
written as it is, and noted.

A category is the key of tagctl.yaml or one of its labels (`基础属性`).
One that is missing is listed with the line to add, or added by
`--add-categories` when its text can be a key.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tagctl.catalog.config import Config
from tagctl.catalog.naming import NameMatcher
from tagctl.catalog.tags import Tag
from tagctl.edit.layout import Layout
from tagctl.edit.render import flow, scalar
from tagctl.errors import UsageError
from tagctl.explore.importcolumns import FIELDS, ColumnMap, map_columns
from tagctl.explore.importdoc import document, naming_notes
from tagctl.explore.importfields import Fields, from_cells, from_entry
from tagctl.explore.records import entry, relative
from tagctl.explore.tablefile import Table, read_bytes, read_csv, read_dictionary
from tagctl.explore.tagwriter import tag_text

_LAYOUT = Layout()
MAX_NAME = 128  # the schema's limit; a longer name cannot be a file name either


@dataclass(frozen=True)
class ImportRequest:
    source: Path
    maps: Mapping[str, str] = field(default_factory=dict)
    category_from: str | None = None
    sheet: str | None = None
    add_categories: bool = False
    strict: bool = False
    dry_run: bool = False
    today: dt.date = field(default_factory=dt.date.today)


@dataclass(frozen=True)
class Draft:
    where: str  # `row 7`
    name: str
    original: str  # the name as the source wrote it
    path: Path
    text: str
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Problem:
    where: str
    message: str


@dataclass(frozen=True)
class NewCategory:
    key: str
    zh: str
    en: str
    rows: tuple[str, ...]
    addable: bool  # its text is a key; else a person chooses one

    def line(self) -> str:
        """The line to add under `categories:` in tagctl.yaml."""
        return f"  {scalar(self.key, _LAYOUT)}: {flow({'zh': self.zh, 'en': self.en}, _LAYOUT)}"


@dataclass
class ImportPlan:
    source: Path
    columns: ColumnMap
    drafts: list[Draft] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    categories: list[NewCategory] = field(default_factory=list)  # tagctl.yaml lacks them
    added: list[NewCategory] = field(default_factory=list)  # by --add-categories
    written: bool = False
    refused: bool = False  # --strict, and a row had a problem

    @property
    def renamed(self) -> list[Draft]:
        return [draft for draft in self.drafts if draft.original != draft.name]


def plan_import(config: Config, tags: Sequence[Tag], request: ImportRequest) -> ImportPlan:
    """What importing `request.source` would write; nothing is written here."""
    table = read_table(request.source, request.sheet)
    columns = _columns(table, request)
    plan = ImportPlan(request.source, columns)
    rows = list(_rows(table, columns, plan))
    categories = _Categories(config, request.add_categories)
    named = _by_name(rows)
    existing = {tag.name: tag for tag in tags}
    drafter = _Drafter(config, request, columns)
    for where, fields, notes in rows:
        name = normal_name(fields["name"])
        key = categories.key(fields, where)
        if key is None:
            plan.problems.append(Problem(where, _no_category(fields)))
        elif len(named[name]) > 1:
            others = [w for w in named[name] if w != where]
            verb = "also names" if len(others) == 1 else "also name"
            plan.problems.append(Problem(where, f"{', '.join(others)} {verb} {name}"))
        elif name in existing:
            _compare(config, existing[name], {**fields, "name": name, "category": key}, where, plan)
        elif os.path.lexists(path := config.tags_dir / key / f"{name}.yaml"):
            shown = relative(path, config.root)
            plan.problems.append(Problem(where, f"{shown} is there already, and is not a tag"))
        else:
            plan.drafts.append(drafter.draft(where, fields, name, key, notes))
    plan.categories = categories.missing()
    order = {table.where(row): index for index, row in enumerate(table.rows)}
    plan.problems.sort(key=lambda problem: order[problem.where])  # in the file's order
    return plan


def read_table(path: Path, sheet: str | None = None) -> Table:
    """The table in `path`, by its suffix: .xlsx/.xlsm, .json, else CSV (.csv, .tsv, .txt)."""
    suffix = path.suffix.lower()
    raw = read_bytes(path)
    if suffix in (".xlsx", ".xlsm"):
        # lazy: openpyxl (about 0.2 s) only for a workbook
        from tagctl.explore.workbook import read_workbook

        return read_workbook(path, raw, sheet)
    if sheet is not None:
        raise UsageError("--sheet is for an Excel workbook (.xlsx)", path=path)
    if suffix == ".json":
        return read_dictionary(path, raw)
    if suffix in (".xls", ".numbers", ".ods"):
        raise UsageError(
            f"cannot read {suffix} files", path=path, hint="save the sheet as .xlsx or as CSV"
        )
    return read_csv(path, raw)


def _columns(table: Table, request: ImportRequest) -> ColumnMap:
    if table.structured:
        if request.maps or request.category_from:
            raise UsageError(
                "--map and --category-from are for sheets; the export names its fields"
            )
        known = tuple(h for h in table.headers if h in FIELDS or h in _ENTRY_KEYS)
        return ColumnMap({h: h for h in known}, (), ())
    columns = map_columns(table.headers, request.maps, request.category_from)
    for wanted, flag in (("name", "--map COLUMN=name"), ("category", "--category-from COLUMN")):
        if wanted not in columns.fields.values():
            listed = ", ".join(table.headers)
            raise UsageError(
                f"no column holds the tag {wanted} (the columns: {listed})",
                path=request.source,
                hint=f"name it with {flag}",
            )
    return columns


_ENTRY_KEYS = frozenset(
    [
        "display_name",
        "category_label",
        "owners",
        "source",
        "deprecation",
        "range",
        "values",
        "changelog",
    ]
)


def _rows(
    table: Table, columns: ColumnMap, plan: ImportPlan
) -> Iterator[tuple[str, Fields, list[str]]]:
    """(where, fields, notes) of every usable row; the others become problems."""
    for row in table.rows:
        where = table.where(row)
        if row.width_problem:
            plan.problems.append(Problem(where, row.width_problem))
            continue
        notes: list[str] = []
        if table.structured:
            fields = from_entry(row.cells)
        else:
            fields, notes = from_cells(row.cells, columns.fields, loose=not columns.exported)
        original = str(fields.get("name", "")).strip()
        if not original:
            plan.problems.append(Problem(where, "no name"))
        elif not normal_name(original) or len(normal_name(original)) > MAX_NAME:
            plan.problems.append(Problem(where, f"'{original}' cannot be made a tag name"))
        else:
            yield where, {**fields, "name": original}, notes


def _by_name(rows: list[tuple[str, Fields, list[str]]]) -> dict[str, list[str]]:
    named: dict[str, list[str]] = defaultdict(list)
    for where, fields, _ in rows:
        named[normal_name(fields["name"])].append(where)
    return named


def normal_name(text: str) -> str:
    """`text` as a tag name, where the fix is unambiguous: width, case, spaces, punctuation."""
    folded = unicodedata.normalize("NFKC", str(text)).strip().lower()
    return re.sub(r"[\W_]+", "_", folded).strip("_")


def _compare(config: Config, tag: Tag, fields: Fields, where: str, plan: ImportPlan) -> None:
    have = from_entry(entry(tag, config))
    differ = [
        key
        for key, value in fields.items()
        if key not in _LABELS and _shaped(have.get(key), value) != value
    ]
    if differ:
        shown = ", ".join(differ[:5]) + (" ..." if len(differ) > 5 else "")
        message = f"the catalog's {tag.name} ({tag.path.name}) differs in {shown}; not replaced"
        plan.problems.append(Problem(where, message))
    else:
        plan.unchanged.append(tag.name)


_LABELS = frozenset(["category_zh", "category_en"])  # of the category, not of the tag


def _shaped(have: Any, given: Any) -> Any:
    """`have` with only the keys of `given`'s entries: a list of bare enum values
    matches the catalog's values whatever their labels."""
    if isinstance(have, list) and isinstance(given, list) and len(have) == len(given):
        return [
            {key: h.get(key) for key in g} if isinstance(h, dict) and isinstance(g, dict) else h
            for h, g in zip(have, given, strict=True)
        ]
    return have


class _Drafter:
    """Makes the new tag files of one import."""

    def __init__(self, config: Config, request: ImportRequest, columns: ColumnMap) -> None:
        self.config = config
        self.matcher = NameMatcher(config.naming)  # compiles each naming pattern once
        self.given = set(columns.fields.values())
        self.imported = (request.source.name, request.today)

    def draft(
        self, where: str, fields: Fields, name: str, category: str, notes: list[str]
    ) -> Draft:
        config, matcher = self.config, self.matcher
        built = document(fields, name, category, config, matcher, self.given, self.imported)
        path = config.tags_dir / category / f"{name}.yaml"
        notes = notes + naming_notes(config, matcher, name, built["type"])
        return Draft(where, name, fields["name"], path, tag_text(built), tuple(notes))


def _no_category(fields: Fields) -> str:
    text = fields.get("category")
    if not text:
        return "no category"
    return f"category '{text}' is not in tagctl.yaml; add it with a key (below), then import again"


class _Categories:
    """The category key of each row, and the categories tagctl.yaml lacks."""

    def __init__(self, config: Config, add: bool) -> None:
        self.known = dict(config.categories)
        self.labels = {
            label.casefold(): key
            for key, category in config.categories.items()
            for label in (category.zh, category.en)
            if label
        }
        self.add = add
        self.new: dict[str, NewCategory] = {}

    def key(self, fields: Fields, where: str) -> str | None:
        text = str(fields.get("category", "")).strip()
        if not text:
            return None
        found = text if text in self.known else self.labels.get(text.casefold())
        if found is not None:
            return found
        key = normal_name(text)
        addable = bool(re.fullmatch(r"[a-z][a-z0-9_]*", key))
        if not addable:
            key = text
        zh = str(fields.get("category_zh") or (text if not addable else "TODO"))
        en = str(fields.get("category_en") or (text if addable and text != key else "TODO"))
        old = self.new.get(key)
        rows = (*old.rows, where) if old else (where,)
        self.new[key] = NewCategory(key, zh, en, rows, addable)
        return key if addable else None

    def missing(self) -> list[NewCategory]:
        return sorted(self.new.values(), key=lambda category: category.key)
