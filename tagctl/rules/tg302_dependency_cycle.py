from __future__ import annotations

from collections import deque
from collections.abc import Iterator

from tagctl.rulekit import CatalogIndex, CatalogRule, LintContext, Problem


class DependencyCycle(CatalogRule):
    """Tags depend on each other in a cycle.

    A tag cannot be computed from itself, directly or through other tags.
    Every tag on the cycle is reported, at the dependency that closes it.
    """

    code = "TG302"
    name = "dependency-cycle"
    hint = "remove one dependency of the cycle"

    def check(self, catalog: CatalogIndex, ctx: LintContext) -> Iterator[tuple[str, Problem]]:
        graph = _possibly_cyclic(catalog)
        for component in strongly_connected(graph):
            members = set(component)
            if len(component) == 1 and component[0] not in graph[component[0]]:
                continue
            for name in sorted(members):
                tag = catalog.get(name)
                assert tag is not None
                for index, target in enumerate(tag.depends_on):
                    if target in members:
                        path = " -> ".join(_cycle_from(graph, name, target, members))
                        yield tag.rel, Problem(f"dependency cycle: {path}", ("depends_on", index))


def _possibly_cyclic(catalog: CatalogIndex) -> dict[str, list[str]]:
    """The dependency graph of `catalog.reachable` without the tags no cycle can pass through.

    Peels off, repeatedly, tags that nothing left depends on (Kahn's
    algorithm); in a healthy catalog nothing remains, and the component
    search below has no work to do.
    """
    graph = catalog.reachable()
    incoming = dict.fromkeys(graph, 0)
    for targets in graph.values():
        for target in targets:
            incoming[target] += 1
    ready = [name for name, count in incoming.items() if count == 0]
    while ready:
        name = ready.pop()
        for target in graph.pop(name):
            incoming[target] -= 1
            if incoming[target] == 0:
                ready.append(target)
    return graph


def _cycle_from(
    graph: dict[str, list[str]], start: str, first: str, members: set[str]
) -> list[str]:
    """A shortest cycle start -> first -> ... -> start inside one component."""
    previous: dict[str, str] = {}
    queue, seen = deque([first]), {first}
    while queue:
        node = queue.popleft()
        if node == start:
            break
        for following in graph[node]:
            if following in members and following not in seen:
                seen.add(following)
                previous[following] = node
                queue.append(following)
    chain, node = [start], start
    while node != first:
        node = previous[node]
        chain.append(node)
    return [start, *reversed(chain)]


def strongly_connected(graph: dict[str, list[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iteratively: the strongly connected components."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    result: list[list[str]] = []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(graph[root]))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(graph[child])))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                result.append(component)
    return result
