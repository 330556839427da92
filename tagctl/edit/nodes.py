"""The node tree of a YAML text, with the exact character span of every node.

libyaml's composer (through PyYAML, a hundred times faster than a pure
Python one) gives each node a start and an end mark, as character offsets
into the text, a scalar's quoting style and a collection's flow or block
style; no value is constructed. Edits are splices at those offsets; this
module finds the nodes and the offsets around them. The text given must
not start with a byte order mark (`ops` sets it aside), since libyaml does
not count it.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from tagctl.errors import EXIT_FINDINGS, TagctlError

Node = Any  # a PyYAML node: ScalarNode, MappingNode or SequenceNode
Step = str | int
KeyPath = tuple[Step, ...]


class EditError(TagctlError):
    """A file cannot be edited safely (it is broken, or the edit would not read back
    as meant): exit 1, like a lint finding, since the file needs a look by hand."""

    exit_code = EXIT_FINDINGS


@lru_cache(maxsize=16)
def compose(text: str) -> Node:
    """The root node of `text` (shared: never change it); EditError when it is not YAML."""
    # lazy: PyYAML's composer (about 15 ms) only when a text is edited
    import yaml

    try:
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as error:
        raise EditError(f"not readable as YAML: {' '.join(str(error).split())}") from error
    if root is None:
        raise EditError("the file is empty")
    _plain_style_is_none(root)
    return root


def _plain_style_is_none(node: Node) -> None:
    """A plain scalar's style as None (libyaml says ''); aliased nodes are visited once."""
    stack, seen = [node], set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if kind(node) == "scalar":
            node.style = node.style or None
        elif kind(node) == "mapping":
            stack.extend(part for pair in node.value for part in pair)
        else:
            stack.extend(node.value)


def kind(node: Node) -> str:
    """`mapping`, `sequence` or `scalar`."""
    return {"MappingNode": "mapping", "SequenceNode": "sequence"}.get(type(node).__name__, "scalar")


def is_flow(node: Node) -> bool:
    return bool(getattr(node, "flow_style", False))


def is_empty(node: Node) -> bool:
    """A value written as nothing at all (`key:` alone), which has no span of its own."""
    return kind(node) == "scalar" and node.value == "" and node.style is None and _null(node)


def _null(node: Node) -> bool:
    return str(node.tag).endswith(":null")


def entry(mapping: Node, key: str) -> tuple[Node, Node] | None:
    """The (key node, value node) pair of `key` in a mapping node."""
    for key_node, value_node in mapping.value:
        if kind(key_node) == "scalar" and key_node.value == key:
            return key_node, value_node
    return None


def child(node: Node, step: Step) -> Node | None:
    if isinstance(step, int):
        items = node.value if kind(node) == "sequence" else []
        return items[step] if -len(items) <= step < len(items) else None
    if kind(node) != "mapping":
        return None
    found = entry(node, step)
    return found[1] if found else None


def find(root: Node, path: KeyPath) -> Node | None:
    """The node at `path`, or None where the path leaves the document."""
    node: Node | None = root
    for step in path:
        if node is None:
            return None
        node = child(node, step)
    return node


def start(node: Node) -> int:
    return int(node.start_mark.index)


def end(node: Node) -> int:
    return int(node.end_mark.index)


def column(node: Node) -> int:
    return int(node.start_mark.column)


def after_colon(text: str, key_node: Node) -> int:
    """The offset just after the `:` that follows a key."""
    at = text.index(":", end(key_node))
    return at + 1


def content_end(text: str, key_node: Node | None, value: Node) -> int:
    """The offset just after the last character that belongs to a value.

    Comments and blank lines after it are not part of it; for a value written
    as nothing, the end is the colon after its key.
    """
    if is_empty(value):
        return after_colon(text, key_node) if key_node is not None else start(value)
    if kind(value) == "scalar" or is_flow(value):
        if getattr(value, "style", None) in ("|", ">"):
            return start(value) + len(text[start(value) : end(value)].rstrip())
        return end(value)
    if kind(value) == "mapping":
        last_key, last_value = value.value[-1]
        return content_end(text, last_key, last_value)
    return content_end(text, None, value.value[-1])


def line_start(text: str, offset: int) -> int:
    return text.rfind("\n", 0, offset) + 1


def next_line(text: str, offset: int) -> int:
    """The offset of the line after the one holding `offset` (the text's length at the end)."""
    found = text.find("\n", offset)
    return len(text) if found < 0 else found + 1


def line_break_at(text: str, offset: int) -> int:
    """The offset of the line break ending the line of `offset` (`\\r\\n` counts from `\\r`)."""
    found = text.find("\n", offset)
    if found < 0:
        return len(text)
    return found - 1 if found > 0 and text[found - 1] == "\r" else found
