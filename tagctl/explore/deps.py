"""`tagctl deps`: the dependency tree of a tag, upstream or downstream.

Forward (the default) walks `depends_on` towards the sources: each tag's
children are the tags it depends on, then its `source.tables` as leaves.
`--reverse` walks the other way, to the tags that depend on it: what breaks
when it changes. A tag reached again on the same path is a cycle (lint
reports it as TG302); it is marked and not followed. A tag reached again on
another path is marked as already shown and not expanded twice, so the tree
stays as small as the graph. A name that no tag has is marked unknown.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from tagctl.catalog.tags import Tag
from tagctl.errors import UsageError
from tagctl.explore.lookup import dependents, find_tag

Kind = Literal["tag", "table", "unknown"]


@dataclass(frozen=True)
class Node:
    """One node of the tree; `cycle` and `repeated` nodes have no children."""

    name: str
    kind: Kind = "tag"
    tag: Tag | None = None
    children: tuple[Node, ...] = ()
    cycle: bool = False
    repeated: bool = False
    truncated: bool = False


@dataclass(frozen=True)
class Edge:
    """Data flows from `upstream` to `downstream`."""

    upstream: Node
    downstream: Node
    cycle: bool = False


@dataclass(frozen=True)
class DepTree:
    root: Node
    reverse: bool
    depth: int | None

    def nodes(self) -> list[Node]:
        """Every distinct node (by kind and name), in the order first reached."""
        seen: dict[tuple[str, str], Node] = {}
        for node in _preorder(self.root):
            seen.setdefault((node.kind, node.name), node)
        return list(seen.values())

    def edges(self) -> list[Edge]:
        """Every distinct edge, upstream to downstream, in the order first reached."""
        found: dict[tuple[str, str, str, str], Edge] = {}
        for parent in _preorder(self.root):
            for child in parent.children:
                up, down = (parent, child) if self.reverse else (child, parent)
                key = (up.kind, up.name, down.kind, down.name)
                found.setdefault(key, Edge(up, down, child.cycle))
        return list(found.values())


@dataclass
class _Walk:
    by_name: Mapping[str, Tag]
    reverse: bool
    depth: int | None
    downstream: Mapping[str, tuple[str, ...]]
    expanded: set[str] = field(default_factory=set)

    def node(self, name: str, path: tuple[str, ...]) -> Node:
        tag = self.by_name.get(name)
        if tag is None:
            return Node(name, "unknown")
        if name in path:
            return Node(name, tag=tag, cycle=True)
        if name in self.expanded:
            return Node(name, tag=tag, repeated=self._has_children(tag))
        if self.depth is not None and len(path) >= self.depth:
            return Node(name, tag=tag, truncated=self._has_children(tag))
        self.expanded.add(name)
        children = tuple(self.node(link, (*path, name)) for link in self._links(tag))
        if not self.reverse:
            children += tuple(Node(table, "table") for table in tag.source_tables)
        return Node(name, tag=tag, children=children)

    def _links(self, tag: Tag) -> tuple[str, ...]:
        return self.downstream.get(tag.name, ()) if self.reverse else tag.depends_on

    def _has_children(self, tag: Tag) -> bool:
        return bool(self._links(tag)) or (not self.reverse and bool(tag.source_tables))


MAX_DEPTH = 100  # deeper chains are cut (a tree that deep is unreadable, and recursion ends)


def dependency_tree(
    tags: Sequence[Tag], name: str, reverse: bool = False, depth: int | None = None
) -> DepTree:
    """The tree of `name` (an unknown name is a usage error)."""
    if depth is not None and depth < 1:
        raise UsageError("--depth must be at least 1")
    find_tag(tags, name)
    depth = min(depth or MAX_DEPTH, MAX_DEPTH)
    walk = _Walk({tag.name: tag for tag in tags}, reverse, depth, dependents(tags))
    return DepTree(walk.node(name, ()), reverse, depth)


def _preorder(node: Node) -> Iterator[Node]:
    yield node
    for child in node.children:
        yield from _preorder(child)
