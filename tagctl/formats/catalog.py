"""Renderers of `tagctl list`, `tagctl search` and `tagctl show`.

`list` and `search` print a table for people, and JSON (an array of
summaries) or CSV (one row per tag) for tools; search adds the `match`
level of each hit, and `search --similar` the `similarity` score and the
fields that `matched` (JSON also has each field's own similarity under
`fields`). `show` prints the whole definition as text, or as the JSON
entry of `tagctl export` with `kpis` and `trend` added. The matches that
stop `tagctl new` are lines for stderr (`reuse_lines`).
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
from tagctl.explore.similar import SimilarTag
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
        _table(tags, stream, color, f"{len(tags)} tags")


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
        extra = [("match", [hit.match.label for hit in hits])]
        _table([hit.tag for hit in hits], stream, color, footer, extra)


def render_similar(
    found: Sequence[SimilarTag],
    name: str,
    root: Path,
    fmt: str,
    stream: TextIO,
    color: bool | None = None,
) -> None:
    """The tags of `tagctl search --similar NAME`, most alike first."""
    if fmt == "json":
        _json([_similar_document(item, root) for item in found], stream)
    elif fmt == "csv":
        rows = [
            {
                **summary_row(item.tag, root),
                "similarity": str(item.score),
                "matched": ";".join(item.similarity.matched),
            }
            for item in found
        ]
        _csv(rows, (*SUMMARY_COLUMNS, "similarity", "matched"), stream)
    else:
        shown = printable(name)
        footer = f"{len(found)} tags like {shown}" if found else f"no tag is like {shown}"
        extra = [
            ("similarity", [_score(item.score) for item in found]),
            ("matched", [" ".join(item.similarity.matched) for item in found]),
        ]
        _table([item.tag for item in found], stream, color, footer, extra)


def reuse_lines(name: str, found: Sequence[SimilarTag]) -> list[str]:
    """What `tagctl new NAME` says about the live tags it may duplicate, one line each."""
    best = found[0].tag.name
    lines = [f"did you mean to reuse `{best}`? live tags like {name}:"]
    for item in found:
        tag = item.tag
        labels = " · ".join(label for label in (tag.zh, tag.en) if label)
        matched = ", ".join(item.similarity.matched) or "-"
        lines.append(
            f"  {tag.name}  {_score(item.score)}  {labels}  [{tag.status}]  (matched: {matched})"
        )
    return [printable(line) for line in lines]


def _similar_document(item: SimilarTag, root: Path) -> dict[str, Any]:
    return {
        **summary(item.tag, root),
        "similarity": item.score,
        "matched": list(item.similarity.matched),
        "fields": dict(item.similarity.fields),
    }


def _score(value: float) -> str:
    return f"{value:.2f}"


def _json(document: Any, stream: TextIO) -> None:
    json.dump(document, stream, ensure_ascii=False, indent=2)
    stream.write("\n")


def _csv(rows: Sequence[dict[str, str]], columns: Sequence[str], stream: TextIO) -> None:
    writer = csv.DictWriter(stream, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows({key: spreadsheet_cell(text) for key, text in row.items()} for row in rows)


def _table(
    tags: Sequence[Tag],
    stream: TextIO,
    color: bool | None,
    footer: str,
    extra: Sequence[tuple[str, Sequence[str]]] = (),
) -> None:
    """One row per tag; `extra` adds columns (header, one text per tag) after the owner."""
    # lazy: rich (about 40 ms) only for a table on the terminal
    from rich.console import Console
    from rich.table import Table

    on = use_color(stream, color)
    buffer = io.StringIO()
    width = shutil.get_terminal_size().columns if on else 200
    console = Console(file=buffer, force_terminal=on, no_color=not on, width=width, highlight=False)
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
    for header, _ in extra:
        table.add_column(header)
    for row, tag in enumerate(tags):
        style = "dim" if tag.status in ("deprecated", "retired") else ""
        texts = [tag.name, tag.zh, tag.en, tag.category, tag.type, tag.status, tag.business_owner]
        texts += [values[row] for _, values in extra]
        table.add_row(*[cell(text) for text in texts], style=style)
    if tags:
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
