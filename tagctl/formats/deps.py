"""Renderers of `tagctl deps`: an indented tree, Mermaid, or Graphviz DOT.

In Mermaid and DOT, arrows point the way data flows: from a source table to
the tags computed from it, from a tag to the tags that depend on it, in
both directions of the walk. Source tables are cylinders; a tag that is not
in the catalog is drawn dashed; an edge that closes a cycle is dashed and
labelled `cycle`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from typing import TextIO

from tagctl.explore.deps import DepTree, Node
from tagctl.textsafe import printable

FORMATS = ["tree", "mermaid", "dot"]


def render_deps(tree: DepTree, fmt: str, stream: TextIO) -> None:
    lines = {"mermaid": mermaid, "dot": dot}.get(fmt, text_tree)(tree)
    stream.writelines(printable(line) + "\n" for line in lines)


# --- tree


def text_tree(tree: DepTree) -> list[str]:
    lines = [_describe(tree.root)]
    lines += _branches(tree.root, "")
    return lines


def _branches(node: Node, prefix: str) -> Iterator[str]:
    for index, child in enumerate(node.children):
        last = index == len(node.children) - 1
        yield prefix + ("└── " if last else "├── ") + _describe(child)
        yield from _branches(child, prefix + ("    " if last else "│   "))


def _describe(node: Node) -> str:
    if node.kind == "table":
        return f"{node.name} (table)"
    if node.kind == "unknown":
        return f"{node.name} (unknown tag)"
    assert node.tag is not None
    text = f"{node.name}  {node.tag.zh}  [{node.tag.status}]"
    if node.cycle:
        text += "  ↺ cycle"
    elif node.repeated:
        text += "  (shown above)"
    elif node.truncated:
        text += "  …"
    return text


# --- mermaid


def mermaid(tree: DepTree) -> list[str]:
    lines = ["flowchart LR"]
    for node in tree.nodes():
        lines.append(f"    {_mermaid_id(node)}{_mermaid_shape(node)}")
    for edge in tree.edges():
        arrow = " -. cycle .-> " if edge.cycle else " --> "
        lines.append(f"    {_mermaid_id(edge.upstream)}{arrow}{_mermaid_id(edge.downstream)}")
    unknown = [_mermaid_id(n) for n in tree.nodes() if n.kind == "unknown"]
    if unknown:
        lines.append("    classDef unknown stroke-dasharray: 4 4")
        lines.append(f"    class {','.join(unknown)} unknown")
    root = _mermaid_id(tree.root)
    lines.append("    classDef root stroke-width:3px")
    lines.append(f"    class {root} root")
    return lines


def _mermaid_id(node: Node) -> str:
    # prefixed, so that a tag called `end` or `graph` is not a keyword
    prefix = {"tag": "tag_", "table": "table_", "unknown": "tag_"}[node.kind]
    plain = re.sub(r"[^A-Za-z0-9_]", "_", node.name)
    if plain != node.name:  # `a-b` and `a_b` must stay two nodes
        plain += "_" + hashlib.sha1(node.name.encode()).hexdigest()[:8]
    return prefix + plain


def _mermaid_shape(node: Node) -> str:
    texts = [node.name] + ([node.tag.zh] if node.tag is not None and node.tag.zh else [])
    label = "<br/>".join(_mermaid_text(text) for text in texts)
    if node.kind == "table":
        return f'[("{label}")]'
    return f'["{label}"]'


def _mermaid_text(text: str) -> str:
    # entity codes: a name or display name is shown, never read as markup
    return (
        text.replace("#", "#35;").replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")
    )


# --- dot


def dot(tree: DepTree) -> list[str]:
    lines = [
        "digraph deps {",
        "    rankdir=LR;",
        '    node [shape=box, fontname="sans-serif"];',
    ]
    for node in tree.nodes():
        lines.append(f"    {_dot_id(node)} [{_dot_attributes(node, node is tree.root)}];")
    for edge in tree.edges():
        style = ' [style=dashed, color=red, label="cycle"]' if edge.cycle else ""
        lines.append(f"    {_dot_id(edge.upstream)} -> {_dot_id(edge.downstream)}{style};")
    lines.append("}")
    return lines


def _dot_id(node: Node) -> str:
    return _dot_string(("table:" if node.kind == "table" else "") + node.name)


def _dot_attributes(node: Node, root: bool) -> str:
    label = node.name
    if node.tag is not None and node.tag.zh:
        label += "\n" + node.tag.zh
    attributes = [f"label={_dot_string(label)}"]
    if node.kind == "table":
        attributes.append("shape=cylinder")
    elif node.kind == "unknown":
        attributes.append("style=dashed")
    if root:
        attributes.append("penwidth=2")
    return ", ".join(attributes)


def _dot_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'
