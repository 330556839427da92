"""The import contract of issue 16: layers, no cycles, and a reason for every lazy import.

Reads the sources with `ast` (nothing is imported), so imports inside
functions and under `if TYPE_CHECKING:` count like any other. Each entry of
an ALLOWED_* set is a known violation that a later step removes; an entry
that no longer matches fails the test, so the sets only shrink.
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "tagctl"

# Top to bottom; names in one tuple are independent siblings (may not import each other).
LAYERS: tuple[tuple[str, ...], ...] = (
    ("cli",),
    ("report", "reporters"),  # step 8: "reporters" -> "formats"
    ("fix", "explore", "demo", "scaffold"),
    ("edit",),
    ("lint", "kpi"),
    ("rules",),
    ("rulekit",),  # from step 3
    ("changes",),  # from step 2
    ("catalog",),
    ("fsutil", "textsafe", "git", "docsection"),
    ("errors",),
)
UNLAYERED = {"__init__", "__main__"}  # tagctl/__init__.py holds only __version__

# (importer module, imported module) pairs tolerated until their step lands; fnmatch-free:
# a trailing ".*" matches any descendant.
ALLOWED_LAYER_BREAKS = {
    ("tagctl.rules.*", "tagctl.lint.context"),  # step 3
    ("tagctl.rules.*", "tagctl.fix.context"),  # step 3
    ("tagctl.rules.tg010_key_order", "tagctl.fix.reorder"),  # step 4
    ("tagctl.rules.tg005_file_name", "tagctl.edit"),  # step 4
    ("tagctl.rules.tg415_changelog_version", "tagctl.edit"),  # step 4
    ("tagctl.rules.tg415_changelog_version", "tagctl.edit.tagtext"),  # step 4
}
ALLOWED_CYCLE_EDGES = set(ALLOWED_LAYER_BREAKS)  # the cycles left all break a layer
LAZY_REASON = re.compile(r"#\s*lazy:\s*\S")  # e.g. `# lazy: rich costs 40 ms at start-up`
ALLOWED_LAZY_WITHOUT_REASON = 139  # today's count; lower it as reasons are added (step 10: 0)


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _imports() -> list[tuple[str, str, int, bool]]:
    """(importer, imported module, line, inside a function) for every tagctl import.

    A function-level import without a `# lazy:` reason also yields
    (importer, "<lazy without reason>", line, True).
    """
    edges: list[tuple[str, str, int, bool]] = []
    for name, path in MODULES.items():
        text = path.read_text(encoding="utf-8")
        _visit(ast.parse(text), False, name, path, text.splitlines(), edges)
    return edges


def _visit(
    node: ast.AST,
    in_function: bool,
    name: str,
    path: Path,
    lines: list[str],
    edges: list[tuple[str, str, int, bool]],
) -> None:
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.Import):
            targets = [alias.name for alias in child.names]
        elif isinstance(child, ast.ImportFrom):
            base = child.module or ""
            if child.level:
                up = package.split(".")[: len(package.split(".")) - child.level + 1]
                base = ".".join(up + ([base] if base else []))
            targets = [
                f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base for a in child.names
            ]
        else:
            inner = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef))
            _visit(child, inner, name, path, lines, edges)
            continue
        for target in dict.fromkeys(targets):
            if target.startswith("tagctl"):
                edges.append((name, target, child.lineno, in_function))
        if in_function and not _has_reason(lines, child.lineno):
            edges.append((name, "<lazy without reason>", child.lineno, True))


def _has_reason(lines: list[str], lineno: int) -> bool:
    return bool(LAZY_REASON.search(lines[lineno - 1]) or LAZY_REASON.search(lines[lineno - 2]))


def _allowed(pairs: set[tuple[str, str]], importer: str, imported: str) -> bool:
    def match(pattern: str, name: str) -> bool:
        return name == pattern or (pattern.endswith(".*") and name.startswith(pattern[:-1]))

    return any(match(a, importer) and match(b, imported) for a, b in pairs)


def _top(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


IMPORTS = _imports()
EDGES = [e for e in IMPORTS if e[1] != "<lazy without reason>"]


def test_every_top_level_module_has_a_layer() -> None:
    layered = {name for layer in LAYERS for name in layer} | UNLAYERED
    assert {_top(m) for m in MODULES} <= layered


def test_layers() -> None:
    rank = {name: (i, layer) for i, layer in enumerate(LAYERS) for name in layer}
    broken, used = [], set()
    for importer, imported, line, _ in EDGES:
        a, b = _top(importer), _top(imported)
        if a == b or a in UNLAYERED or b in UNLAYERED:
            continue
        if rank[a][0] >= rank[b][0]:  # same layer (independent) or upwards
            pair = next(
                (p for p in ALLOWED_LAYER_BREAKS if _allowed({p}, importer, imported)), None
            )
            if pair is None:
                broken.append(f"{importer}:{line} -> {imported}")
            used.add(pair)
    assert not broken, "imports against the layers:\n" + "\n".join(broken)
    assert used >= ALLOWED_LAYER_BREAKS, f"fixed, delete: {ALLOWED_LAYER_BREAKS - used}"


def test_no_cycle_between_siblings_at_any_depth() -> None:
    graph: dict[str, set[str]] = defaultdict(set)
    for importer, imported, _, _ in EDGES:
        if _allowed(ALLOWED_CYCLE_EDGES, importer, imported):
            continue
        a, b = importer.split("."), imported.split(".")
        common = 0
        while common < min(len(a), len(b)) and a[common] == b[common]:
            common += 1
        if common < min(len(a), len(b)):  # siblings under a[:common]
            graph[".".join(a[: common + 1])].add(".".join(b[: common + 1]))
    cycles = [c for c in _strongly_connected(graph) if len(c) > 1]
    assert not cycles, f"import cycles: {cycles}"


def test_lazy_imports_say_why() -> None:
    missing = [e for e in IMPORTS if e[1] == "<lazy without reason>"]
    assert len(missing) <= ALLOWED_LAZY_WITHOUT_REASON, "add `# lazy: <reason>` to new ones"


def _strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    result: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in sorted(graph.get(node, ())):
            if other not in index:
                connect(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            result.append(component)

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return result
