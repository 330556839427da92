"""Line and column of any value in a YAML document, through ruamel.yaml.

The fast loader keeps no positions. When a file has a problem to show, its
text is parsed once more with ruamel's round-trip loader, whose nodes carry
`.lc` positions, and each problem's JSON path is mapped back to the file.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from tagctl.catalog.source import JsonPath

Position = tuple[int, int]
Request = tuple[JsonPath, bool]  # (path, at_key)


@lru_cache(maxsize=1)
def _yaml() -> Any:
    # lazy: ruamel.yaml (about 60 ms) only when a problem needs its position
    from ruamel.yaml import YAML
    from ruamel.yaml.constructor import RoundTripConstructor

    class Constructor(RoundTripConstructor):
        """Read as the fast loader reads: dates stay text (so 2026-02-30 is a value
        to point at, not a crash) and `<<` is an ordinary key, not a merge."""

        def flatten_mapping(self, node: Any) -> None:
            return None

    for tag in ("timestamp", "merge"):
        Constructor.add_constructor(f"tag:yaml.org,2002:{tag}", Constructor.construct_yaml_str)
    yaml = YAML(typ="rt")
    yaml.Constructor = Constructor
    yaml.allow_duplicate_keys = True
    return yaml


def parse_roundtrip(text: str) -> Any:
    """The round-trip tree of `text`, or None when ruamel cannot read it."""
    try:
        return _yaml().load(text)
    except RecursionError:
        return None
    except Exception:  # ruamel raises many error types; any means "no positions"
        return None


def locate_all(text: str, requests: Iterable[Request]) -> dict[Request, Position]:
    """Positions (1-based) for each (path, at_key) request; unknown ones get 1:1."""
    tree = parse_roundtrip(text)
    return {request: locate(tree, *request) for request in requests}


def locate(tree: Any, path: JsonPath, at_key: bool = False) -> Position:
    """Where `path` is in `tree`: the value, or with `at_key` the key naming it.

    A path that leaves the document stops at the deepest node that exists.
    """
    if tree is None or not hasattr(tree, "lc"):
        return (1, 1)
    node, best = tree, _start(tree)
    for depth, step in enumerate(path):
        last = depth == len(path) - 1
        found = _child_position(node, step, at_key and last)
        if found is None:
            return best
        best = found
        child = _child(node, step)
        if child is None:
            return best
        node = child
    return best


def _start(node: Any) -> Position:
    return (node.lc.line + 1, node.lc.col + 1)


def _child(node: Any, step: str | int) -> Any:
    try:
        return node[_key(node, step)]
    except (KeyError, IndexError, TypeError):
        return None


def _key(node: Any, step: str | int) -> Any:
    """The mapping key that `step` names: JSON paths spell every key as text."""
    if isinstance(step, int) or not isinstance(node, dict) or step in node:
        return step
    return next((key for key in node if yaml_spelling(key) == step), step)


def yaml_spelling(key: Any) -> str:
    """A key as YAML writes it: `true`, not Python's `True`."""
    if isinstance(key, bool):
        return "true" if key else "false"
    return str(key)


def _child_position(node: Any, step: str | int, at_key: bool) -> Position | None:
    lc = getattr(node, "lc", None)
    if lc is None:
        return None
    try:
        if isinstance(step, int):
            line, col = lc.item(step)
            return (line + 1, col + 1)
        key = _key(node, step)
        line, col = lc.key(key)
        if not at_key and node[key] is None:  # an empty value: just after the colon
            return (line + 1, col + len(yaml_spelling(key)) + 2)
        if not at_key:
            line, col = lc.value(key)
    except (KeyError, IndexError, TypeError, AttributeError):
        return None
    return (line + 1, col + 1)
