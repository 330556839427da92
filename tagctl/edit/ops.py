"""In-place edits of a YAML text: set a value, add a list item.

Each function takes the text of a file and returns the new text. The change
is spliced in at the positions of the nodes involved; every other character
(comments, quoting, key order, blank lines, flow or block style, indentation,
line endings, a byte order mark, a missing final newline) stays as it was,
and new text follows the file's own layout (see `layout`).

Every edit is checked: the new text is read back with the project's loader
and must hold exactly the old data with the one change made, else EditError
is raised. An edit that changes nothing returns the text unchanged, so
applying an edit twice is the same as applying it once.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from typing import Any

from tagctl.catalog.source import dotted
from tagctl.edit import nodes as n
from tagctl.edit.document import Doc
from tagctl.edit.insert import add_entry, add_item
from tagctl.edit.nodes import EditError, KeyPath
from tagctl.edit.replace import replace
from tagctl.edit.scalars import load_text

BOM = "\ufeff"


def get_value(text: str, path: KeyPath) -> Any:
    """The value at `path` as the project's loader reads it; None when absent."""
    value: Any = load_text(text)
    for step in path:
        if isinstance(step, int):
            inside = isinstance(value, list) and -len(value) <= step < len(value)
            value = value[step] if inside else None
        else:
            value = value.get(step) if isinstance(value, dict) else None
    return value


def set_value(text: str, path: KeyPath, value: Any, *, before: Sequence[str] = ()) -> str:
    """Set the value at `path` (a tuple of keys and list indexes); return the new text.

    A scalar replaces the old value in its quoting style; a comment after it
    on the line keeps its column when there is room. A mapping is merged key
    by key into an existing mapping: keys it does not name stay. A missing
    key is added to its parent mapping before the first key of `before` that
    the mapping has (comments right above that key stay with it; the first
    key of a mapping, a tag's `name`, stays first), else after the last
    entry; missing or empty mappings on the way are created.
    """
    if not path:
        raise ValueError("set_value needs a path")
    if text.startswith(BOM):
        return BOM + set_value(text[1:], path, value, before=before)
    doc = Doc(text)
    expected = _merged(doc.data, path, value)
    if expected == doc.data:
        return text
    node = n.find(doc.root, path)
    if node is not None and not n.is_empty(node):
        if isinstance(value, Mapping) and n.kind(node) == "mapping":
            return _merge_keys(text, path, value)
        new = replace(doc, path, node, value)
    elif len(path) > 1 and _absent(n.find(doc.root, path[:-1])):
        return set_value(text, path[:-1], {path[-1]: value}, before=before)
    else:
        new = add_entry(doc, path, value, before)
    return _checked(new, path, expected)


def insert_item(
    text: str, path: KeyPath, item: Any, *, first: bool = False, before: Sequence[str] = ()
) -> str:
    """Add `item` at the end of the list at `path` (at the start with `first`).

    The item is written like its neighbour: a flow mapping after flow
    mappings, a block one after block ones, keys in the neighbour's order,
    values quoted where the neighbour's are. A missing list, or one written
    as nothing, is created as `set_value` would; `[]` holding no mappings
    becomes a block list when the item is a mapping.
    """
    if text.startswith(BOM):
        return BOM + insert_item(text[1:], path, item, first=first, before=before)
    doc = Doc(text)
    node = n.find(doc.root, path)
    old = get_value(text, path)
    if node is None or n.is_empty(node):
        return set_value(text, path, [item], before=before)
    if n.kind(node) != "sequence" or not isinstance(old, list):
        raise EditError(f"{dotted(path)} is not a list")
    expected = _merged(doc.data, path, [item, *old] if first else [*old, item])
    new = add_item(doc, node, item, first) if node.value else replace(doc, path, node, [item])
    return _checked(new, path, expected)


def _absent(node: n.Node | None) -> bool:
    return node is None or n.is_empty(node)


def _merge_keys(text: str, path: KeyPath, value: Mapping[str, Any]) -> str:
    keys = list(value)
    for index, key in enumerate(keys):
        text = set_value(text, (*path, key), value[key], before=keys[index + 1 :])
    return text


def _merged(data: Any, path: KeyPath, value: Any) -> Any:
    """`data` with `value` set at `path` as set_value sets it (mappings merge)."""
    result = copy.deepcopy(data)
    holder: Any = result
    for depth, step in enumerate(path):
        if isinstance(step, str) != isinstance(holder, dict):
            raise EditError(f"{dotted(path[:depth]) or 'the document'} is not a {_kind(step)}")
        if isinstance(step, int) and not -len(holder) <= step < len(holder):
            raise EditError(f"{dotted(path[: depth + 1])} is not in the list")
        if depth == len(path) - 1:
            current = holder.get(step) if isinstance(step, str) else holder[step]
            holder[step] = _merge(current, value)
        elif isinstance(step, str) and not isinstance(holder.get(step), (dict, list)):
            holder[step] = {}
        holder = holder[step]
    return result


def _kind(step: str | int) -> str:
    return "mapping" if isinstance(step, str) else "list"


def _merge(current: Any, value: Any) -> Any:
    if isinstance(value, Mapping) and isinstance(current, dict):
        merged = dict(current)
        for key, item in value.items():
            merged[key] = _merge(current.get(key), item)
        return merged
    if isinstance(value, Mapping):
        return {key: _merge(None, item) for key, item in value.items()}
    return copy.deepcopy(value)


def _checked(new: str, path: KeyPath, expected: Any) -> str:
    if load_text(new) != expected:
        raise EditError(
            f"cannot change {dotted(path)} in this file without disturbing the rest of it"
        )
    return new
