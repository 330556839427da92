"""Moving whole top-level entries of a block mapping into a given key order.

An entry is a key's first line through the last line of its value, with the
comment lines directly above the key at the key's own indentation. Text is
cut at those lines and put back in the new order; nothing inside an entry
changes. Blank lines above an entry move with it (they open a section),
except that the entry put first takes none; the comments above the first
key and everything after the last value (a closing comment, say) stay at
the top and the bottom of the file.

The result is read back: it must hold the same data, in the new key order,
made of the same lines; otherwise `ReorderError` says why and nothing is
changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from tagctl.edit.ops import get_value
from tagctl.rulekit import canonical_order

BOM = "\ufeff"


class ReorderError(Exception):
    """The entries cannot be moved without changing more than their order."""


@dataclass(frozen=True)
class _Entry:
    key: str
    above: str  # the blank lines above it, which move with it
    body: str  # from the first attached comment line through the value's last line


def reorder(text: str, order: Sequence[str]) -> str:
    """`text` with its top-level entries in `order` (see the module's description)."""
    if text.startswith(BOM):
        return BOM + reorder(text[len(BOM) :], order)
    root = _compose(text)
    keys = [_key(key) for key, _ in root.value]
    wanted = canonical_order(keys, order)
    if keys == wanted:
        return text
    if len(set(keys)) != len(keys):
        raise ReorderError("a top-level key appears twice")
    header, entries, footer = _split(text, root)
    body = {entry.key: entry.body for entry in entries}
    above = {entry.key: entry.above for entry in entries}
    # The first entry has no blank lines above it: the one that takes its place
    # gives it the blank lines it had instead.
    above[keys[0]], above[wanted[0]] = above[wanted[0]], above[keys[0]]
    final_newline = entries[-1].body.endswith("\n") or bool(footer)
    parts = [above[key] + _terminated(body[key], _newline(text)) for key in wanted]
    if not final_newline:
        parts[-1] = parts[-1].removesuffix("\n").removesuffix("\r")
    new = header + "".join(parts) + footer
    _verify(text, new, wanted)
    return new


def _compose(text: str) -> Any:
    try:
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as error:
        raise ReorderError("the file is not readable as YAML") from error
    if not isinstance(root, yaml.MappingNode) or not root.value:
        raise ReorderError("the file is not a YAML mapping")
    if root.flow_style:
        raise ReorderError("the top level is a flow mapping {...}; reorder it by hand")
    return root


def _key(node: Any) -> str:
    if not isinstance(node, yaml.ScalarNode):
        raise ReorderError("a top-level key is not a plain word")
    return str(node.value)


def _split(text: str, root: Any) -> tuple[str, list[_Entry], str]:
    """(header, entries, footer): the text cut at entry boundaries."""
    starts = [
        _entry_start(text, key, first=index == 0) for index, (key, _) in enumerate(root.value)
    ]
    end = _content_end(text, root.value[-1][1])
    bounds = [*starts[1:], end]
    entries, above = [], ""
    for (key, _), start, stop in zip(root.value, starts, bounds, strict=True):
        body, below = _trailing_blanks(text[start:stop])
        entries.append(_Entry(_key(key), above, body))
        above = below
    return text[: starts[0]], entries, above + text[end:]


def _entry_start(text: str, key: Any, first: bool) -> int:
    """Where the entry of `key` starts: its line, or the comment lines right above it."""
    index = key.start_mark.index
    line = text.rfind("\n", 0, index) + 1
    indent = text[line:index]
    if indent.strip(" "):
        raise ReorderError(f"the key '{key.value}' does not start its line")
    while not first and line > 0:
        above = text.rfind("\n", 0, line - 1) + 1
        previous = text[above:line]
        if not previous.startswith(indent + "#"):
            break
        line = above
    return line


def _content_end(text: str, node: Any) -> int:
    """The end of the line where the value's last scalar or flow collection ends."""
    while isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and not node.flow_style:
        last = node.value[-1]
        node = last[1] if isinstance(node, yaml.MappingNode) else last
    index = int(node.end_mark.index)
    if index > 0 and text[index - 1] == "\n":
        return index  # a block scalar ends at the start of a line
    newline = text.find("\n", index)
    return len(text) if newline == -1 else newline + 1


def _trailing_blanks(chunk: str) -> tuple[str, str]:
    lines = chunk.split("\n")
    if lines[-1] == "":
        lines.pop()
        suffix = "\n"
    else:
        suffix = ""
    cut = len(lines)
    while cut > 1 and not lines[cut - 1].strip():
        cut -= 1
    body = "\n".join(lines[:cut]) + ("\n" if cut < len(lines) else suffix)
    separator = "\n".join(lines[cut:]) + (suffix if cut < len(lines) else "")
    return body, separator


def _terminated(body: str, newline: str) -> str:
    return body if body.endswith("\n") else body + newline


def _newline(text: str) -> str:
    return "\r\n" if "\r\n" in text else "\n"


def _verify(old: str, new: str, wanted: list[str]) -> None:
    before, after = get_value(old, ()), get_value(new, ())
    if after != before or list(after) != wanted:
        raise ReorderError("moving the entries would change a value; reorder by hand")
    if sorted(_lines(old)) != sorted(_lines(new)):
        raise ReorderError("moving the entries would change the file's lines")


def _lines(text: str) -> list[str]:
    return [line.removesuffix("\r") for line in text.split("\n")]
