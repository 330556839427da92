"""`tagctl import`: a catalog from an existing tag list."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from tagctl.cli.options import CatalogOption, check_format, open_output
from tagctl.errors import EXIT_FINDINGS

IMPORT_EPILOG = """Examples:

\b
  tagctl import 标签清单.xlsx --dry-run              # what would be written, and why not
  tagctl import tags.csv --map 标签编码=name --map 一级分类=category
  tagctl import tags.xlsx --sheet 标签 --category-from 二级分类 --add-categories
  tagctl export -f csv > tags.csv && tagctl import tags.csv --catalog ../new-catalog
  tagctl import tags.csv --strict && tagctl lint --write-baseline

\b
Fields (the columns of `tagctl export -f csv`): name, display_name_zh,
display_name_en, description, type, category, status, value_type, values,
range_min, range_max, window, refresh, granularity, tier, sensitivity,
business_owner, data_owner, creator, source_system, source_tables,
depends_on, logic, deprecation_reason, replaced_by, sunset, deprecated_at,
deprecated_by, value_labels_zh, value_labels_en, value_descriptions, bins,
quality, renamed_from, changelog. Common headers are recognised without
--map: 标签编码/code -> name, 标签名称 -> display_name_zh, 标签分类 ->
category, 业务含义 -> description, 负责人/owner -> business_owner,
更新频率 -> refresh, and more.
"""


def register(app: typer.Typer) -> None:
    app.command("import", epilog=IMPORT_EPILOG)(import_tags)


def import_tags(
    file: Annotated[
        Path, typer.Argument(metavar="FILE", help="CSV, Excel (.xlsx) or `tagctl export` JSON.")
    ],
    maps: Annotated[
        list[str] | None,
        typer.Option("--map", "-m", metavar="COLUMN=FIELD", help="Read FIELD from COLUMN."),
    ] = None,
    category_from: Annotated[
        str | None,
        typer.Option(
            "--category-from",
            metavar="COLUMN",
            help="The column naming each tag's category, by key or by label (基础属性).",
        ),
    ] = None,
    sheet: Annotated[
        str | None, typer.Option("--sheet", metavar="NAME", help="The workbook's sheet to read.")
    ] = None,
    add_categories: Annotated[
        bool,
        typer.Option("--add-categories", help="Add missing categories to tagctl.yaml."),
    ] = False,
    strict: Annotated[
        bool, typer.Option("--strict", help="Write nothing if any row has a problem.")
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", "-n", help="Say what would be written; write nothing.")
    ] = False,
    fmt: Annotated[
        str, typer.Option("--format", "-f", metavar="FORMAT", help="text or json.")
    ] = "text",
    catalog: Annotated[Path | None, CatalogOption] = None,
) -> None:
    """Write one draft tag file per row of a tag list, never replacing a file.

    Rows whose tag is in the catalog already, with the same fields, are
    skipped, so importing a file twice changes nothing. Exit 0 when every
    row was imported or skipped; 1 when some rows have problems (each named
    with its row; the others are written, or with --strict nothing is); 2
    for a file that cannot be read as a whole (encoding, a quote left open,
    merged cells or formulas in a workbook) or a bad flag, and nothing is
    written; 3 when writing fails (what was written is removed again).
    """
    # lazy: a command loads only what it runs, so that start-up stays fast
    from tagctl.cli.explore import load_catalog, shown
    from tagctl.explore.importcolumns import parse_maps
    from tagctl.explore.importer import ImportRequest
    from tagctl.explore.importwrite import run_import
    from tagctl.formats.importing import FORMATS, render_import

    check_format(fmt, FORMATS)
    request = ImportRequest(
        source=file,
        maps=parse_maps(maps or ()),
        category_from=category_from,
        sheet=sheet,
        add_categories=add_categories,
        strict=strict,
        dry_run=dry_run,
        today=dt.date.today(),
    )
    config, tags = load_catalog(catalog)
    plan = run_import(config, tags, request)
    with open_output(None) as stream:
        render_import(plan, fmt, stream, shown)
    if plan.problems:
        raise typer.Exit(EXIT_FINDINGS)
