"""Adding what is not in the file yet: a mapping entry, a list item."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from tagctl.edit import nodes as n
from tagctl.edit.document import Doc
from tagctl.edit.nodes import EditError, KeyPath, Node
from tagctl.edit.render import Template, entry_lines, flow, is_collection, item_lines, ordered


def add_entry(doc: Doc, path: KeyPath, value: Any, before: Sequence[str]) -> str:
    """The text with `path[-1]: value` added to the mapping at `path[:-1]`."""
    parent = n.find(doc.root, path[:-1])
    key = path[-1]
    if parent is None or n.kind(parent) != "mapping" or not isinstance(key, str):
        raise EditError(f"{'.'.join(map(str, path[:-1])) or 'the document'} is not a mapping")
    found = n.entry(parent, key)
    if found is not None:  # written as `key:` with nothing after it
        return _fill_empty(doc, found[0], value)
    # The first key of a mapping (a tag's `name`) stays first.
    anchor = next((i for i, (k, _) in enumerate(parent.value) if k.value in before), None) or None
    if n.is_flow(parent):
        return _add_flow_entry(doc, parent, key, value, anchor)
    return _add_block_entry(doc, parent, key, value, anchor)


def _inline(doc: Doc, value: Any) -> str:
    return flow(value, doc.layout) if is_collection(value) else doc.scalar(value)


def _fill_empty(doc: Doc, key_node: Node, value: Any) -> str:
    text = doc.text
    colon = n.after_colon(text, key_node)
    lines = entry_lines("k", value, n.column(key_node), doc.layout)
    if len(lines) == 1:
        return text[:colon] + " " + _inline(doc, value) + text[colon:]
    return doc.insert_lines(n.next_line(text, colon), lines[1:])


def _add_flow_entry(doc: Doc, parent: Node, key: str, value: Any, anchor: int | None) -> str:
    text = doc.text
    shown = flow(value, doc.layout) if is_collection(value) else doc.scalar(value, None, True)
    written = f"{key}: {shown}"
    if not parent.value:
        at = n.start(parent) + 1
        return text[:at] + written + text[at:]
    if anchor is not None:
        at = n.start(parent.value[anchor][0])
        return text[:at] + written + ", " + text[at:]
    at = n.content_end(text, *parent.value[-1])
    return text[:at] + ", " + written + text[at:]


def _add_block_entry(doc: Doc, parent: Node, key: str, value: Any, anchor: int | None) -> str:
    text = doc.text
    entries = parent.value
    column = n.column(entries[0][0])
    if isinstance(value, Mapping) and value and all(_flow_mapping(v) for _, v in entries):
        lines = [f"{' ' * column}{key}: {flow(value, doc.layout)}"]  # written as its siblings are
    else:
        lines = entry_lines(key, value, column, doc.layout)
    if anchor is None:
        last_key, last_value = entries[-1]
        if _blank_above(text, n.start(last_key)):
            lines = ["", *lines]
        return doc.insert_lines(n.next_line(text, n.content_end(text, last_key, last_value)), lines)
    floor = n.next_line(text, n.content_end(text, *entries[anchor - 1]))
    at = _above_comments(text, n.line_start(text, n.start(entries[anchor][0])), floor)
    if _blank_above(text, at):
        lines = [*lines, ""]
    return doc.insert_lines(at, lines)


def _flow_mapping(node: Node) -> bool:
    return n.kind(node) == "mapping" and n.is_flow(node)


def _above_comments(text: str, at: int, floor: int) -> int:
    """Move `at` (a line start) up over the comment lines right above it."""
    while at > floor:
        previous = n.line_start(text, at - 1)
        if not text[previous:at].strip().startswith("#"):
            break
        at = previous
    return at


def _blank_above(text: str, offset: int) -> bool:
    """True when the line above the line of `offset` is blank."""
    start = n.line_start(text, offset)
    return start > 0 and not text[n.line_start(text, start - 1) : start].strip()


def add_item(doc: Doc, seq: Node, item: Any, first: bool) -> str:
    """The text with `item` added first or last to the non-empty list `seq`."""
    neighbour = seq.value[0] if first else seq.value[-1]
    template = _template(seq, neighbour)
    if n.is_flow(seq):
        return _add_flow_item(doc, neighbour, item, template, first)
    lines = item_lines(item, n.column(seq), doc.layout, template)
    if first:
        return doc.insert_lines(n.line_start(doc.text, n.start(seq)), lines)
    return doc.insert_lines(n.next_line(doc.text, n.content_end(doc.text, None, neighbour)), lines)


def _template(seq: Node, neighbour: Node) -> Template:
    if n.kind(neighbour) == "mapping":
        keys = tuple(str(k.value) for k, _ in neighbour.value)
        styles = {str(k.value): v.style for k, v in neighbour.value if n.kind(v) == "scalar"}
        offset = None if n.is_flow(neighbour) else n.column(neighbour) - n.column(seq)
        return Template(n.is_flow(neighbour), keys, styles, offset)
    if n.kind(neighbour) == "scalar":
        return Template(styles={"": neighbour.style})
    return Template()


def _add_flow_item(doc: Doc, neighbour: Node, item: Any, template: Template, first: bool) -> str:
    if isinstance(item, Mapping):
        written = flow(ordered(item, template.keys), doc.layout, template.styles)
    elif is_collection(item):
        written = flow(item, doc.layout)
    else:
        written = doc.scalar(item, template.styles.get(""), True)
    text = doc.text
    if first:
        at = n.start(neighbour)
        return text[:at] + written + ", " + text[at:]
    at = n.content_end(text, None, neighbour)
    return text[:at] + ", " + written + text[at:]
