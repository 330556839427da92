"""Writing one scalar value as YAML text, in a style the file already uses.

A value is written plain when the project's own loader reads the plain text
back as the same string; otherwise it is quoted, with the file's quote
character where that can hold it. Block scalars (`|`, `>`) are rewritten as
block scalars at the same indentation.
"""

from __future__ import annotations

import functools
import json
import math
import re
from pathlib import Path
from typing import Any

from tagctl.catalog.reader import parse_into
from tagctl.catalog.source import MAX_NODES, Source
from tagctl.catalog.yamlnumbers import plain_value  # the loader's YAML 1.2 core scalars
from tagctl.edit.nodes import EditError, compose, kind

Scalar = str | int | float | bool | None

# Words that YAML 1.1 readers take for booleans: quoted for the sake of other tools.
_OLD_BOOLEANS = frozenset(["y", "n", "yes", "no", "on", "off"])
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
_FLOW_INDICATORS = frozenset(",[]{}")
# Characters JSON leaves alone that YAML 1.1 readers take for line breaks.
_BREAKS = {"\u0085": "\\N", "\u2028": "\\L", "\u2029": "\\P", "\ufeff": "\\uFEFF"}


def load_text(text: str) -> Any:
    """The data of `text` as dicts, lists and scalars; None when it is not YAML.

    Built from the same libyaml node tree the edits splice at, with the
    project loader's own YAML 1.2 core reading of plain scalars (dates stay
    text). One reader for the text before and after an edit is what makes
    the comparison of the two sound: the project's fast loader picks its
    parser by the text, and parsers disagree on a corner or two.
    """
    try:
        root = compose(text[1:] if text.startswith("\ufeff") else text)
    except EditError:
        return None
    return _build(root, [MAX_NODES])


def _build(node: Any, budget: list[int]) -> Any:
    """Values of a node tree; aliases are expanded, within the loader's limit."""
    budget[0] -= 1
    if budget[0] < 0:
        raise EditError(f"the document expands to more than {MAX_NODES} values (aliases?)")
    if kind(node) == "mapping":
        result = {}
        for key_node, value_node in node.value:
            key = _build(key_node, budget)
            if isinstance(key, (dict, list)):
                raise EditError("a mapping key must be a plain value")
            result[key] = _build(value_node, budget)
        return result
    if kind(node) == "sequence":
        return [_build(item, budget) for item in node.value]
    return plain_value(node.value) if node.style is None and node.value else _text(node)


def _text(node: Any) -> Any:
    return None if node.style is None else str(node.value)


def project_reads(text: str) -> Any:
    """What the project's own loader (the one lint uses) reads from `text`."""
    source = Source(Path("edit.yaml"), raw=text.encode("utf-8"))
    parse_into(source)
    if source.syntax_error or source.not_utf8 or source.not_mapping or source.duplicates:
        return None
    return source.data


# Text every YAML reader takes for a string when written plain: a letter first, then
# letters, digits, `_ . @ / -`, single spaces between words (no `: `, no ` #`).
_SURELY_TEXT = re.compile(r"(?:(?![\d_])\w)[\w.@/-]*(?: [\w.@/-]+)*")
_WORDS_OF_YAML = frozenset(["true", "false", "null", *_OLD_BOOLEANS])


@functools.lru_cache(maxsize=4096)  # a catalog's words repeat: versions, dates, owners
def plain_ok(value: str, flow: bool = False) -> bool:
    """True when `value` can be written without quotes and read back unchanged."""
    if not value or value != value.strip() or value.lower() in _OLD_BOOLEANS:
        return False
    if _SURELY_TEXT.fullmatch(value) and value.lower() not in _WORDS_OF_YAML:
        return True  # read back by trying, below, for anything less plain
    if value[0] in _INDICATORS or any(mark in value for mark in (": ", " #", "\t", "\n", "\r")):
        return False
    if value.endswith(":") or (flow and any(c in _FLOW_INDICATORS for c in value)):
        return False
    written = f"k: [{value}]" if flow else f"k: {value}"
    wanted = {"k": [value] if flow else value}
    return bool(project_reads(written) == wanted and load_text(written) == wanted)


def render_scalar(value: Scalar, style: str | None, quote: str, flow: bool = False) -> str:
    """`value` as YAML text: plain when `style` is None and that is safe, else quoted.

    `style` is the style of the value being replaced (None, `'` or `"`);
    `quote` is the file's preferred quote character, used when a plain value
    needs quoting.
    """
    if not isinstance(value, str):
        return _non_string(value)
    if style is None and plain_ok(value, flow):
        return value
    wanted = style if style in ("'", '"') else quote
    if wanted == "'" and _single_ok(value):
        return "'" + value.replace("'", "''") + "'"
    return double_quoted(value)


def double_quoted(value: str) -> str:
    text = json.dumps(value, ensure_ascii=False)
    for character, escape in _BREAKS.items():
        text = text.replace(character, escape)
    return text


def _single_ok(value: str) -> bool:
    return all(c == " " or (c.isprintable() and c not in _BREAKS) for c in value)


def _non_string(value: Scalar) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and not math.isfinite(value):
        return ".nan" if math.isnan(value) else (".inf" if value > 0 else "-.inf")
    return repr(value)


def render_block(value: str, style: str, indent: int, newline: str) -> str | None:
    """A `|` or `>` block scalar holding `value`, content at column `indent`.

    The result runs from the indicator to the end of the last content line;
    the line break after it stays the file's own. None when a block scalar
    cannot hold the value simply (leading spaces, trailing blank lines,
    control characters).
    """
    body = value[:-1] if value.endswith("\n") else value
    if (
        not body
        or body.endswith("\n")
        or body[0] in " \t"
        or not _single_ok(body.replace("\n", ""))
    ):
        return None
    if style == ">" and "\n" in body:
        style = "|"  # a folded scalar would need its line breaks doubled
    chomp = "" if value.endswith("\n") else "-"
    if any(line != line.rstrip() for line in body.split("\n")):
        return None
    lines = [(" " * indent + line) if line else "" for line in body.split("\n")]
    return style + chomp + newline + newline.join(lines)
