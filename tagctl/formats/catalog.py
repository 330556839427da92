"""Renderers of `tagctl list`, `tagctl search` and `tagctl show`.

`list` and `search` print a table for people, and JSON (an array of
summaries) or CSV (one row per tag) for tools; search adds the `match`
level of each hit. `show` prints the whole definition as text, or as the
JSON entry of `tagctl export` with `kpis` and `trend` added.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from tagctl.catalog.config import Config
from tagctl.catalog.tags import Tag
from tagctl.explore.profile import Profile
from tagctl.explore.records import SUMMARY_COLUMNS, entry, summary, summary_row
from tagctl.explore.search import Hit
from tagctl.formats.text import use_color
from tagctl.textsafe import cell, printable, spreadsheet_cell

LIST_FORMATS = ["table", "json", "csv"]
SHOW_FORMATS = ["text", "json"]


def render_tags(
    tags: Sequence[Tag], root: Path, fmt: str, stream: TextIO, color: bool | None = None
) -> None:
    """The rows of `tagctl list`."""
    if fmt == "json":
        _json([summary(tag, root) for tag in tags], stream)
    elif fmt == "csv":
        _csv([summary_row(tag, root) for tag in tags], SUMMARY_COLUMNS, stream)
    else:
        _table([(tag, None) for tag in tags], stream, color, f"{len(tags)} tags")


def render_hits(
    hits: Sequence[Hit], root: Path, fmt: str, stream: TextIO, color: bool | None = None
) -> None:
    """The hits of `tagctl search`, best first."""
    if fmt == "json":
        _json([{**summary(hit.tag, root), "match": hit.match.label} for hit in hits], stream)
    elif fmt == "csv":
        rows = [{**summary_row(hit.tag, root), "match": hit.match.label} for hit in hits]
        _csv(rows, (*SUMMARY_COLUMNS, "match"), stream)
    else:
        footer = f"{len(hits)} tags found" if hits else "no tag matches"
        _table([(hit.tag, hit.match.label) for hit in hits], stream, color, footer)


def _json(document: Any, stream: TextIO) -> None:
    json.dump(document, stream, ensure_ascii=False, indent=2)
    stream.write("\n")


def _csv(rows: Sequence[dict[str, str]], columns: Sequence[str], stream: TextIO) -> None:
    writer = csv.DictWriter(stream, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows({key: spreadsheet_cell(text) for key, text in row.items()} for row in rows)


def _table(
    rows: Sequence[tuple[Tag, str | None]], stream: TextIO, color: bool | None, footer: str
) -> None:
    # lazy: rich (about 40 ms) only for a table on the terminal
    from rich.console import Console
    from rich.table import Table

    on = use_color(stream, color)
    buffer = io.StringIO()
    width = shutil.get_terminal_size().columns if on else 200
    console = Console(file=buffer, force_terminal=on, no_color=not on, width=width, highlight=False)
    matched = any(match is not None for _, match in rows)
    table = Table(show_lines=False, pad_edge=False, box=None, header_style="bold")
    for header in (
        "name",
        "中文名",
        "English name",
        "category",
        "type",
        "status",
        "business owner",
    ):
        table.add_column(header, no_wrap=header == "name", overflow="fold")
    if matched:
        table.add_column("match")
    for tag, match in rows:
        style = "dim" if tag.status in ("deprecated", "retired") else ""
        texts = [tag.name, tag.zh, tag.en, tag.category, tag.type, tag.status, tag.business_owner]
        cells = [cell(text) for text in texts]
        table.add_row(*cells, *([cell(match or "")] if matched else []), style=style)
    if rows:
        console.print(table)
    console.print(footer, markup=False)
    stream.writelines(line.rstrip() + "\n" for line in buffer.getvalue().splitlines())


def render_profile(profile: Profile, config: Config, fmt: str, stream: TextIO) -> None:
    if fmt == "json":
        _json(_profile_document(profile, config), stream)
    else:
        # lazy: only `show` needs the profile's KPI lines
        from tagctl.formats.profile import profile_lines

        stream.writelines(
            printable(line, lines=True) + "\n" for line in profile_lines(profile, config)
        )


def _profile_document(profile: Profile, config: Config) -> dict[str, Any]:
    document = entry(profile.tag, config, profile.dependents)
    document["kpis"] = (
        {
            "as_of": profile.measured_as_of,
            "window_days": profile.window_days,
            **profile.kpis,
        }
        if profile.kpis is not None
        else None
    )
    document["trend"] = [
        {"as_of": point.as_of.isoformat(), "coverage": point.coverage, "holders": point.holders}
        for point in profile.trend
    ]
    document["history_note"] = profile.history_note or None
    return document
