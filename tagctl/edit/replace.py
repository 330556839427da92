"""Replacing a value that is in the file, in the style it is written in."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from tagctl.edit import nodes as n
from tagctl.edit.document import Doc
from tagctl.edit.layout import Layout
from tagctl.edit.nodes import KeyPath, Node
from tagctl.edit.render import entry_lines, flow, is_collection, item_lines
from tagctl.edit.scalars import render_block, render_scalar

_COMMENT_GAP = re.compile(r"( +)#")
_BLOCK_HEADER = re.compile(r"[|>][-+0-9]*")


def replace(doc: Doc, path: KeyPath, node: Node, value: Any) -> str:
    """The text with the node at `path` holding `value` instead."""
    text = doc.text
    if not is_collection(value) and n.kind(node) == "scalar":
        return _scalar(doc, path, node, value)
    end = n.content_end(text, None, node)
    if is_collection(value) and n.kind(node) != "scalar" and not n.is_flow(node):
        column = n.column(node)
        lines = block_lines(value, column, doc.layout)
        return text[: n.start(node)] + doc.newline.join(lines)[column:] + text[end:]
    if _wants_block(doc, path, value):
        return _with_block_list(doc, path, node, value)
    written = flow(value, doc.layout) if is_collection(value) else doc.scalar(value)
    return text[: n.start(node)] + written + text[end:]


def block_lines(value: Any, column: int, layout: Layout) -> list[str]:
    """The entries of a mapping, or the items of a list, as block lines at `column`."""
    if isinstance(value, Mapping):
        return [
            line for key, item in value.items() for line in entry_lines(key, item, column, layout)
        ]
    return [line for item in value for line in item_lines(item, column, layout)]


def _wants_block(doc: Doc, path: KeyPath, value: Any) -> bool:
    """A list of mappings in a block mapping is written as a block list."""
    return (
        isinstance(value, list)
        and any(is_collection(item) for item in value)
        and isinstance(path[-1], str)
        and not doc.in_flow(path)
    )


def _with_block_list(doc: Doc, path: KeyPath, node: Node, value: list[Any]) -> str:
    """`key: []` becomes `key:` and a block list; a comment after `[]` moves up with the key."""
    text = doc.text
    parent = n.find(doc.root, path[:-1])
    found = n.entry(parent, str(path[-1]))
    column = n.column(found[0]) if found else 0
    lines = block_lines(value, column + doc.layout.dash_indent, doc.layout)
    end = n.content_end(text, None, node)
    line_end = n.line_break_at(text, end)
    comment = text[end:line_end].strip()
    head = text[: n.start(node)].rstrip(" ") + (" " + comment if comment else "")
    return head + doc.newline + doc.newline.join(lines) + text[line_end:]


def _scalar(doc: Doc, path: KeyPath, node: Node, value: Any) -> str:
    text, start, end = doc.text, n.start(node), n.end(node)
    if node.style in ("|", ">"):
        if isinstance(value, str):
            return _block_scalar(doc, node, value)
        end = n.content_end(text, None, node)
    written = render_scalar(value, node.style, doc.layout.quote, doc.in_flow(path))
    gap = _COMMENT_GAP.match(text, end)
    if gap and "\n" not in text[start:end]:
        # A comment after the value keeps its column when the gap allows it.
        room = len(gap.group(1)) - (len(written) - (end - start))
        if room >= 1:
            return text[:start] + written + " " * room + text[gap.end(1) :]
    return text[:start] + written + text[end:]


def _block_scalar(doc: Doc, node: Node, value: str) -> str:
    text, start = doc.text, n.start(node)
    header = _BLOCK_HEADER.match(text, start)
    header_end = header.end() if header else start + 1
    body = n.next_line(text, start)
    first = re.compile(r"[^ \r\n]").search(text, body, n.end(node))
    if first:
        indent = first.start() - n.line_start(text, first.start())
    else:
        indent = n.column(node) + doc.layout.indent
    written = render_block(value, node.style, indent, doc.newline)
    end = n.content_end(text, None, node)
    if written is None:
        return text[:start] + doc.scalar(value, '"') + text[end:]
    new_header, lines = written.split(doc.newline, 1)
    comment = text[header_end : n.line_break_at(text, start)]
    return text[:start] + new_header + comment + doc.newline + lines + text[end:]
