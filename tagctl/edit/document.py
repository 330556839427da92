"""A YAML text being edited: its node tree, its layout and its data."""

from __future__ import annotations

import re
from typing import Any

from tagctl.edit import nodes as n
from tagctl.edit import render
from tagctl.edit.layout import Layout, detect
from tagctl.edit.nodes import EditError, KeyPath
from tagctl.edit.scalars import load_text

_CLIP_HEADER = re.compile(r"([|>][1-9]?)(?=[ \t\r\n#]|$)")


class Doc:
    """One version of a text; every edit makes a new one."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.root = n.compose(text)
        self.layout: Layout = detect(text, self.root)
        self.data: Any = load_text(text)
        if not isinstance(self.data, dict) or n.kind(self.root) != "mapping":
            raise EditError("the file is not a YAML mapping the loader can read")

    def in_flow(self, path: KeyPath) -> bool:
        """True when the node at `path` sits inside a flow collection."""
        node = self.root
        for step in path[:-1]:
            if n.is_flow(node):
                return True
            node = n.child(node, step)
        return n.is_flow(node)

    def scalar(self, value: Any, style: str | None = None, flow: bool = False) -> str:
        """A scalar written in this file's way (see `render_scalar`)."""
        return render.scalar(value, self.layout, style, flow)

    @property
    def newline(self) -> str:
        return self.layout.newline

    def insert_lines(self, at: int, lines: list[str]) -> str:
        """The text with whole `lines` inserted at line start `at`."""
        text, block = self.text, self.newline.join(lines)
        if at >= len(text) and text and not text.endswith("\n"):
            return self._strip_last_block() + self.newline + block  # no final newline after either
        return text[:at] + block + self.newline + text[at:]

    def _strip_last_block(self) -> str:
        """The text, with `|` or `>` made `|-` or `>-` if a block scalar ends it unterminated.

        Such a scalar holds no final line break; once a line follows it, only
        the strip indicator keeps its value the same.
        """
        node = self.root
        while n.kind(node) != "scalar" and node.value:
            node = node.value[-1][1] if n.kind(node) == "mapping" else node.value[-1]
        header = _CLIP_HEADER.match(self.text, n.start(node))
        if n.kind(node) != "scalar" or node.style not in ("|", ">") or header is None:
            return self.text
        return self.text[: header.end(1)] + "-" + self.text[header.end(1) :]
