"""The shape of the code: layers, no import cycles, a reason for every lazy import, size.

Reads the sources with `ast` (nothing is imported), so imports inside
functions and under `if TYPE_CHECKING:` count like any other. The "Layout"
section of docs/development.md describes the layers.
"""

from __future__ import annotations

import ast
import functools
import re
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "tagctl"

# Top to bottom; names in one tuple are independent siblings (may not import each other).
LAYERS: tuple[tuple[str, ...], ...] = (
    ("cli",),
    ("notify",),
    ("report", "formats"),
    ("fix", "explore", "demo", "scaffold"),
    ("edit",),
    ("lint", "kpi"),
    ("rules",),
    ("rulekit",),
    ("changes",),
    ("catalog",),
    ("fsutil", "textsafe", "git", "docsection", "isotime"),
    ("errors",),
)
UNLAYERED = {"__init__", "__main__"}  # tagctl/__init__.py holds only __version__

# e.g. `# lazy: rich costs 40 ms at start-up`, on the import's line or above a run of imports
LAZY_REASON = re.compile(r"#\s*lazy:\s*\S")


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


MODULES = _modules()


@functools.cache  # parsed when a test asks, not at every collection
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
    covered = False  # a reason above a run of imports covers the whole run
    for child in ast.iter_child_nodes(node):
        if not isinstance(child, (ast.Import, ast.ImportFrom)):
            covered = False
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
        covered = covered or _has_reason(lines, child.lineno)
        if in_function and not covered:
            edges.append((name, "<lazy without reason>", child.lineno, True))


def _has_reason(lines: list[str], lineno: int) -> bool:
    return bool(LAZY_REASON.search(lines[lineno - 1]) or LAZY_REASON.search(lines[lineno - 2]))


def _top(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _edges() -> list[tuple[str, str, int, bool]]:
    return [e for e in _imports() if e[1] != "<lazy without reason>"]


def test_every_top_level_module_has_a_layer() -> None:
    layered = {name for layer in LAYERS for name in layer} | UNLAYERED
    assert {_top(m) for m in MODULES} <= layered


def test_layers() -> None:
    rank = {name: i for i, layer in enumerate(LAYERS) for name in layer}
    broken = []
    for importer, imported, line, _ in _edges():
        a, b = _top(importer), _top(imported)
        if a == b or a in UNLAYERED or b in UNLAYERED:
            continue
        if rank[a] >= rank[b]:  # same layer (independent) or upwards
            broken.append(f"{importer}:{line} -> {imported}")
    assert not broken, "imports against the layers:\n" + "\n".join(broken)


def test_no_cycle_between_siblings_at_any_depth() -> None:
    graph: dict[str, set[str]] = defaultdict(set)
    for importer, imported, _, _ in _edges():
        a, b = importer.split("."), imported.split(".")
        common = 0
        while common < min(len(a), len(b)) and a[common] == b[common]:
            common += 1
        if common < min(len(a), len(b)):  # siblings under a[:common]
            graph[".".join(a[: common + 1])].add(".".join(b[: common + 1]))
    cycles = [c for c in _strongly_connected(graph) if len(c) > 1]
    assert not cycles, f"import cycles: {cycles}"


def test_lazy_imports_say_why() -> None:
    missing = [f"{e[0]}:{e[2]}" for e in _imports() if e[1] == "<lazy without reason>"]
    assert not missing, "say why each import inside a function is there: `# lazy: <reason>`"


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


MAX_MODULE_LINES = 400
MAX_P95_FUNCTION_LINES = 30


def test_no_module_is_over_400_lines() -> None:
    long = {
        name: count
        for name, path in MODULES.items()
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert not long, f"split these modules: {long}"


def test_most_functions_are_short() -> None:
    lengths = sorted(
        node.end_lineno - node.lineno + 1
        for path in MODULES.values()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.end_lineno
    )
    assert lengths[int(0.95 * len(lengths))] < MAX_P95_FUNCTION_LINES
