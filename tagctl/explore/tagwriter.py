"""A whole tag definition as the YAML text of a new tag file.

Written as the catalog's own files are: block mappings at the top, lists
of names in flow style (`tables: [a, b]`), an enum value per line with its
label in flow style, one changelog entry per line, long prose as a folded
block and SQL as a literal block. Every text is read back with the
project's loader and must give exactly the definition; if a style could
not hold some value, the file is written again with every text quoted.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from typing import Any

from tagctl.edit.layout import Layout
from tagctl.edit.render import Template, entry_lines, flow, item_lines, scalar
from tagctl.edit.scalars import project_reads, render_block

_LAYOUT = Layout()
_WIDTH = 80


def tag_text(document: Mapping[str, Any]) -> str:
    """The file text of `document` (keys in the order to write them)."""
    for styled in (True, False):
        lines: list[str] = []
        for key, value in document.items():
            lines += _entry(key, value, styled)
        text = "\n".join(lines) + "\n"
        if project_reads(text) == document:  # what lint and every command will read
            return text
    raise ValueError(f"cannot write {document.get('name')!r} as YAML that reads back the same")


def _entry(key: str, value: Any, styled: bool) -> list[str]:
    if key == "values" and isinstance(value, list):
        return [f"{key}:", *(line for item in value for line in _value_lines(item))]
    if key == "changelog" and isinstance(value, list):
        return [
            f"{key}:",
            *(item_lines(item, 2, _LAYOUT, Template(flow=True))[0] for item in value),
        ]
    if styled and isinstance(value, str):
        block = _block(value, 2)
        if block is not None:
            return [f"{key}: {block}"]
    if styled and isinstance(value, Mapping):
        lines = [f"{key}:"]
        for child, inner in value.items():
            block = _block(inner, 4) if isinstance(inner, str) else None
            lines += [f"  {child}: {block}"] if block else entry_lines(child, inner, 2, _LAYOUT)
        return lines
    return entry_lines(key, value, 0, _LAYOUT)


def _value_lines(item: Mapping[str, Any]) -> list[str]:
    lines = [f"  - value: {scalar(item['value'], _LAYOUT)}"]
    for key, value in item.items():
        if key != "value":
            shown = flow(value, _LAYOUT) if isinstance(value, Mapping) else scalar(value, _LAYOUT)
            lines.append(f"    {key}: {shown}")
    return lines


def _block(value: str, indent: int) -> str | None:
    """SQL and other text of several lines as `|`, long prose as `>-`, else None."""
    if "\n" in value.rstrip("\n"):
        return render_block(value, "|", indent, "\n")
    if len(value) <= _WIDTH or "  " in value or value != value.strip() or " " not in value:
        return None
    lines = textwrap.wrap(value, _WIDTH - indent, break_long_words=False, break_on_hyphens=False)
    if " ".join(lines) != value:
        return None
    return ">-\n" + "\n".join(" " * indent + line for line in lines)
