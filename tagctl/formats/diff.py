"""Renderers of a catalog diff: text for people, JSON for programs, markdown for PR comments.

The JSON document (`diff_document`) is the reference; the other two show
the same facts. Paths are relative to the catalog root.
"""

from __future__ import annotations

import json
import re
from typing import Any, TextIO

from tagctl.changes.diff import CatalogDiff, Kind, TagChange
from tagctl.formats.text import use_color
from tagctl.textsafe import printable

FORMATS = ["text", "json", "markdown"]
KINDS: tuple[Kind, ...] = ("added", "removed", "renamed", "changed")


def render_diff(diff: CatalogDiff, fmt: str, stream: TextIO, color: bool | None = None) -> None:
    if fmt == "json":
        json.dump(diff_document(diff), stream, indent=2, ensure_ascii=False)
        stream.write("\n")
    elif fmt == "markdown":
        stream.write(_markdown(diff))
    elif fmt == "text":
        stream.write(_text(diff, use_color(stream, color)))
    else:
        raise ValueError(f"unknown format {fmt!r}")


def diff_document(diff: CatalogDiff) -> dict[str, Any]:
    return {
        "against": diff.ref,
        "commit": diff.commit,
        "summary": {
            **{kind: diff.count(kind) for kind in KINDS},
            "breaking": len(diff.breaking),
            "required_bump": diff.required,
            "version_problems": sum(1 for change in diff.changes if not change.bump_ok),
        },
        "changes": [_change(change) for change in diff.changes],
        "unreadable": [
            {"path": item.rel, "side": item.side, "reason": item.reason} for item in diff.unreadable
        ],
    }


def _change(change: TagChange) -> dict[str, Any]:
    (base_version, version), (base_status, status) = change.versions, change.statuses
    return {
        "name": change.name,
        "kind": change.kind,
        "previous_name": change.previous_name,
        "path": change.current.rel if change.current else None,
        "previous_path": change.base.rel if change.base else None,
        "breaking": change.breaking,
        "reasons": list(change.reasons),
        "version": {
            "base": base_version or None,
            "current": version or None,
            "bump": change.bump,
            "required": change.required,
            "ok": change.bump_ok,
        },
        "status": {
            "base": base_status or None,
            "current": status or None,
            "allowed": change.transition_ok,
        },
        "fields": [
            {"field": item.field, "level": item.level, "detail": item.detail}
            for item in change.fields
        ],
    }


def summary_line(diff: CatalogDiff) -> str:
    if not diff.changes:
        return f"No tag changed since {diff.ref}."
    counts = ", ".join(f"{diff.count(kind)} {kind}" for kind in KINDS if diff.count(kind))
    breaking = len(diff.breaking)
    text = f"{_plural(len(diff.changes), 'tag')} changed since {diff.ref}: {counts}"
    text += f"; {breaking} breaking" if breaking else ""
    return text + f". Required bump: {diff.required}."


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


_SYMBOL = {"added": "+", "removed": "-", "renamed": ">", "changed": "~"}
_STYLE = {"bold": "1", "dim": "2", "red": "31", "yellow": "33", "green": "32"}


def _text(diff: CatalogDiff, color: bool) -> str:
    def paint(text: str, *styles: str) -> str:
        if not color or not styles:
            return text
        return f"\033[{';'.join(_STYLE[s] for s in styles)}m{text}\033[0m"

    lines = []
    for change in diff.changes:
        title = f"{_SYMBOL[change.kind]} {printable(_title(change))}"
        mark = "  " + paint("BREAKING", "bold", "red") if change.breaking else ""
        lines.append(f"{paint(title, 'bold')}  {change.kind}{mark}")
        lines.append(f"    {paint(printable(change.rel), 'dim')}")
        for reason in _text_details(change):
            lines.append(f"    {printable(reason)}")
        version = _version_text(change)
        if version:
            ok = change.bump_ok
            lines.append(f"    {paint(version, *(() if ok else ('yellow',)))}")
    if diff.changes:
        lines.append("")
    lines += [printable(f"unreadable at {u.side}: {u.rel} ({u.reason})") for u in diff.unreadable]
    lines.append(summary_line(diff))
    return "\n".join(lines) + "\n"


def _title(change: TagChange) -> str:
    if change.previous_name:
        return f"{change.name} (was {change.previous_name})"
    return change.name


def _text_details(change: TagChange) -> list[str]:
    if change.kind == "removed":
        return [f"was {change.statuses[0] or 'without status'} at the ref"]
    details = [
        f"{item.field}: {item.detail} ({_level(item.level)})"
        for item in change.fields
        if item.field != "version"  # the version line below says it
    ]
    before, after = change.statuses
    if not change.transition_ok:
        details.append(f"status {before} -> {after} is not an allowed lifecycle step")
    return details


def _level(level: str) -> str:
    return {"major": "breaking", "none": "no bump needed"}.get(level, level)


def _version_text(change: TagChange) -> str:
    before, after = change.versions
    if change.kind == "added":
        return f"version {after}" if after else ""
    if change.kind == "removed":
        return ""
    verdict = "ok" if change.bump_ok else f"needs a {change.required} bump"
    return f"version {before} -> {after}: {change.bump or 'unreadable'}; {verdict}"


def _markdown(diff: CatalogDiff) -> str:
    lines = [f"### Tag catalog changes since `{diff.ref}`", "", summary_line(diff)]
    if diff.changes:
        lines += ["", "| tag | change | version | bump | breaking |", "|---|---|---|---|---|"]
        lines += [_markdown_row(change) for change in diff.changes]
    if diff.unreadable:
        lines += ["", "Unreadable files (see `tagctl lint`):", ""]
        lines += [f"- {_code(u.rel)} at {u.side}: {_cell(u.reason)}" for u in diff.unreadable]
    return "\n".join(lines) + "\n"


def _markdown_row(change: TagChange) -> str:
    before, after = change.versions
    tag = _code(change.name) + (
        f" (was {_code(change.previous_name)})" if change.previous_name else ""
    )
    fields = ", ".join(dict.fromkeys(item.field for item in change.fields))
    what = change.kind + (f": {fields}" if fields else "")
    version = " → ".join(v for v in (before, after) if v)
    if change.kind in ("added", "removed"):
        bump = ""
    else:
        bump = f"{change.bump or '?'}" + ("" if change.bump_ok else f" (needs {change.required})")
        bump += "" if change.bump_ok else " :x:"
    breaking = "; ".join(change.reasons) if change.breaking else "no"
    cells = [tag, _cell(what), _cell(version), _cell(bump), _cell(breaking)]
    return "| " + " | ".join(cells) + " |"


def _cell(text: str) -> str:
    return printable(text.replace("\n", " ")).replace("|", "\\|")


def _code(text: str) -> str:
    """`text` as a Markdown code span that no backtick inside it can end."""
    longest = max((len(run) for run in re.findall("`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{_cell(text)}{pad}{fence}"
