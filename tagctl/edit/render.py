"""New YAML text for values that are not in the file yet: entries and list items.

Everything here returns lines without line breaks; the caller joins them
with the file's own line ending. Mappings are written in block style (or in
flow style when the file writes its nested mappings that way), lists of
plain values in flow style (`[a, b]`, as the catalog writes `depends_on`),
lists of mappings in block style.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from tagctl.edit.layout import Layout
from tagctl.edit.scalars import render_scalar


@dataclass(frozen=True)
class Template:
    """How an existing sibling item is written: new items are written alike."""

    flow: bool = False
    keys: tuple[str, ...] = ()  # key order
    styles: Mapping[str, str | None] = field(default_factory=dict)  # scalar style by key
    key_offset: int | None = None  # column of its keys, right of its dash


def scalar(value: Any, layout: Layout, style: str | None = None, flow: bool = False) -> str:
    """A scalar as this layout writes it: quoted where every string of the file is."""
    if style is None and layout.quote_all and isinstance(value, str):
        style = layout.quote
    return render_scalar(value, style, layout.quote, flow)


def is_collection(value: Any) -> bool:
    return isinstance(value, (Mapping, list))


def flow(value: Any, layout: Layout, styles: Mapping[str, str | None] | None = None) -> str:
    """`value` on one line: `{a: 1, b: [x, y]}`."""
    if isinstance(value, Mapping):
        inner = ", ".join(
            f"{key}: {_flow_member(item, layout, (styles or {}).get(key))}"
            for key, item in value.items()
        )
        return "{" + inner + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flow_member(item, layout, None) for item in value) + "]"
    return scalar(value, layout, None, True)


def _flow_member(value: Any, layout: Layout, style: str | None) -> str:
    if is_collection(value):
        return flow(value, layout)
    return scalar(value, layout, style, True)


def entry_lines(key: str, value: Any, column: int, layout: Layout) -> list[str]:
    """`key: value` as block lines starting at `column`."""
    pad = " " * column
    if not is_collection(value) or not value or _inline(value, layout):
        return [f"{pad}{key}: {_inline_text(value, layout)}"]
    if isinstance(value, Mapping):
        lines = [f"{pad}{key}:"]
        for child_key, child in value.items():
            lines += entry_lines(child_key, child, column + layout.indent, layout)
        return lines
    lines = [f"{pad}{key}:"]
    for item in value:
        lines += item_lines(item, column + layout.dash_indent, layout)
    return lines


def _inline(value: Any, layout: Layout) -> bool:
    if isinstance(value, Mapping):
        return layout.flow_mappings
    return not any(is_collection(item) for item in value)


def _inline_text(value: Any, layout: Layout) -> str:
    if is_collection(value):
        return flow(value, layout)
    return scalar(value, layout)


def item_lines(item: Any, dash: int, layout: Layout, template: Template | None = None) -> list[str]:
    """`- item` as block lines with the dash at column `dash`, written like `template`."""
    template = template or Template()
    pad = " " * dash
    if isinstance(item, Mapping):
        item = ordered(item, template.keys)
        if template.flow or not item:
            return [f"{pad}- {flow(item, layout, template.styles)}"]
        offset = template.key_offset or layout.item_indent
        lines: list[str] = []
        for key, value in item.items():
            if is_collection(value):
                lines += entry_lines(key, value, dash + offset, layout)
            else:
                text = scalar(value, layout, template.styles.get(key))
                lines.append(f"{' ' * (dash + offset)}{key}: {text}")
        lines[0] = pad + "-" + " " * (offset - 1) + lines[0][dash + offset :]
        return lines
    if isinstance(item, list):
        return [f"{pad}- {flow(item, layout)}"]
    return [f"{pad}- {scalar(item, layout, template.styles.get(''))}"]


def ordered(item: Mapping[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    """`item` with the keys `keys` names first, in that order, then the others."""
    first = {key: item[key] for key in keys if key in item}
    return {**first, **{key: value for key, value in item.items() if key not in first}}
