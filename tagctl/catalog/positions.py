"""Line and column of any value in a YAML document, from libyaml's node marks.

The fast loader keeps no positions. When a file has a problem to show, its
text is composed once more by libyaml (about 0.05 ms for a tag file), whose
nodes carry their start marks, and each problem's JSON path is mapped back to
the file. A text libyaml cannot read gets 1:1 for every request.

The positions are those of ruamel.yaml's round-trip nodes, which `edit` uses:
a value where it starts, a key where it starts, and an empty value just
after its key's colon.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from tagctl.catalog.source import JsonPath

Position = tuple[int, int]
Request = tuple[JsonPath, bool]  # (path, at_key)


def locate_all(text: str, requests: Iterable[Request]) -> dict[Request, Position]:
    """Positions (1-based) for each (path, at_key) request; unknown ones get 1:1."""
    # lazy: libyaml only when a problem needs its position
    from tagctl.catalog.libyaml import compose

    tree = compose(text)
    return {request: locate(tree, *request) for request in requests}


def locate(tree: Any, path: JsonPath, at_key: bool = False) -> Position:
    """Where `path` is in `tree`: the value, or with `at_key` the key naming it.

    A path that leaves the document stops at the deepest node that exists.
    """
    if tree is None or _kind(tree) == "scalar":
        return (1, 1)
    node, best = tree, _mark(tree)
    for depth, step in enumerate(path):
        pair = _child(node, step)
        if pair is None:
            return best
        key, child = pair
        if key is None:  # an item of a sequence
            best = _mark(child)
        elif at_key and depth == len(path) - 1:
            best = _mark(key)
        elif _is_null(child):  # an empty value: just after the colon
            line, column = _mark(key)
            best = (line, column + len(yaml_spelling(_key_value(key))) + 1)
        else:
            best = _mark(child)
        node = child
    return best


def yaml_spelling(key: Any) -> str:
    """A key as YAML writes it: `true`, not Python's `True`."""
    if isinstance(key, bool):
        return "true" if key else "false"
    return str(key)


def _kind(node: Any) -> str:
    return node.tag if node.tag in ("map", "seq") else "scalar"


def _mark(node: Any) -> Position:
    mark = node.start_mark
    return (mark.line + 1, mark.column + 1)


def _child(node: Any, step: str | int) -> tuple[Any, Any] | None:
    """(key node, value node) that `step` names in `node`; (None, item) in a sequence."""
    kind = _kind(node)
    if kind == "seq":
        if isinstance(step, int) and 0 <= step < len(node.value):
            return None, node.value[step]
        return None
    if kind != "map" or isinstance(step, int):
        return None
    # JSON paths spell every key as text: a text key as written, else `1`, `true`
    for key, value in node.value:
        if key.value == step and isinstance(_key_value(key), str):
            return key, value
    for key, value in node.value:
        if yaml_spelling(_key_value(key)) == step:
            return key, value
    return None


def _key_value(key: Any) -> Any:
    """The value of a key node, read as the fast loader reads it; None for a collection."""
    if _kind(key) != "scalar":
        return None
    return _scalar_value(key)


def _scalar_value(node: Any) -> Any:
    # lazy: libyaml only when a problem needs its position, as in locate_all
    from tagctl.catalog.libyaml import scalar_value

    return scalar_value(node)


def _is_null(node: Any) -> bool:
    return _kind(node) == "scalar" and _scalar_value(node) is None
