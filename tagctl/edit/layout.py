"""The conventions a YAML file already follows, so that new text follows them too.

Read from the file itself: its line ending, the width of one indentation
step, whether list dashes are indented under their key, the column of an
item's keys after its dash, the quote character it prefers, and whether its
nested mappings are written in flow style (`{zh: ..., en: ...}`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from tagctl.edit.nodes import Node, column, is_flow, kind

DEFAULT_INDENT = 2


@dataclass(frozen=True)
class Layout:
    newline: str = "\n"
    indent: int = DEFAULT_INDENT
    dash_indent: int = DEFAULT_INDENT  # a block list's dash, right of its key
    item_indent: int = 2  # an item's keys, right of its dash
    quote: str = '"'
    quote_all: bool = False  # every string value is quoted: new ones are too
    flow_mappings: bool = False


def detect(text: str, root: Node) -> Layout:
    """The layout of `text`, whose node tree is `root`; defaults where it says nothing."""
    indents: Counter[int] = Counter()
    dashes: Counter[int] = Counter()
    items: Counter[int] = Counter()
    quotes: Counter[str] = Counter()
    nested_styles: Counter[bool] = Counter()
    for parent_column, node in _walk(root, None):
        if kind(node) == "scalar":
            quotes[node.style if node.style in ('"', "'") else _plain_kind(node)] += 1
            continue
        if parent_column is not None and not is_flow(node):
            gap = column(node) - parent_column
            (indents if kind(node) == "mapping" else dashes)[gap] += 1
        if kind(node) == "mapping" and parent_column is not None:
            nested_styles[is_flow(node)] += 1
        if kind(node) == "sequence" and not is_flow(node):
            items.update(column(i) - column(node) for i in node.value if _block_mapping(i))
    indent = _common(indents, lambda gap: gap > 0) or DEFAULT_INDENT
    return Layout(
        newline=_newline(text),
        indent=indent,
        dash_indent=_common(dashes, lambda gap: gap >= 0, indent),
        item_indent=_common(items, lambda gap: gap > 0) or 2,
        quote="'" if quotes["'"] > quotes['"'] else '"',
        quote_all=quotes["'"] + quotes['"'] > 0 and not quotes["plain"],
        flow_mappings=bool(nested_styles) and not nested_styles[False],
    )


def _walk(node: Node, key_column: int | None) -> Iterator[tuple[int | None, Node]]:
    """Every node with the column of the key that holds it (None: not a mapping value)."""
    yield key_column, node
    if kind(node) == "mapping":
        for key, value in node.value:
            yield from _walk(value, None if is_flow(node) else column(key))
    elif kind(node) == "sequence":
        for item in node.value:
            yield from _walk(item, None)


def _plain_kind(node: Node) -> str:
    """`plain` for a plain string value; dates, numbers and the like do not count."""
    return "plain" if node.style is None and str(node.tag).endswith(":str") else "other"


def _block_mapping(node: Node) -> bool:
    return kind(node) == "mapping" and not is_flow(node)


def _common(counts: Counter[int], keep: Callable[[int], bool], default: int = 0) -> int:
    """The most frequent gap that `keep` accepts (the smaller one on a tie)."""
    wanted = [(n, -gap) for gap, n in counts.items() if keep(gap)]
    return -max(wanted)[1] if wanted else default


def _newline(text: str) -> str:
    first = text.find("\n")
    return "\r\n" if first > 0 and text[first - 1] == "\r" else "\n"
