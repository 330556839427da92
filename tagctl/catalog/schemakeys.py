"""A JSON Schema read as a list of keys, for the reference tables the docs generate.

`keys` walks a schema's keys, parents before children, as dotted paths
(`kpi.star.top_n`); a mapping whose keys the user or the data chooses is one
key with a placeholder (`categories.<category>`), and the items of a list of
mappings are keys under `[]` (`tags.<tag>.alerts[].code`). `kind` says in
words what a key holds; `code` and `prose` make text safe in a table cell.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Key:
    path: str
    node: Mapping[str, Any]  # its schema, `$ref` resolved
    required: bool = False
    names: tuple[str, ...] = ()  # the keys a placeholder stands for, when the schema names them

    @property
    def description(self) -> str:
        """The schema's description of the key, as table-cell Markdown ("" without one)."""
        return prose(str(self.node.get("description", "")))


def keys(schema: Mapping[str, Any], placeholders: Mapping[str, str]) -> list[Key]:
    """Every key of `schema`; `placeholders` names the chosen keys under a path (else `<name>`)."""
    return list(_walk(schema, schema, "", placeholders))


def _walk(
    node: Mapping[str, Any], schema: Mapping[str, Any], path: str, holders: Mapping[str, str]
) -> Iterator[Key]:
    node = resolved(node, schema)
    for variant in node.get("oneOf", ()):  # a value that may also be a mapping
        yield from _walk(variant, schema, path, holders)
    items = resolved(node.get("items", {}), schema)
    if node.get("type") == "array" and "properties" in items:
        yield from _walk(items, schema, f"{path}[]", holders)
    properties: dict[str, Any] = node.get("properties", {})
    if _one_kind(properties, schema):  # e.g. the logical tables: one key, the names said
        key = _join(path, holders.get(path, "<name>"))
        first = next(iter(properties.values()))
        yield Key(key, resolved(first, schema), names=tuple(properties))
        yield from _walk(first, schema, key, holders)
        return
    required = set(node.get("required", ()))
    for name, child in properties.items():
        yield Key(_join(path, name), resolved(child, schema), name in required)
        yield from _walk(child, schema, _join(path, name), holders)
    extra = node.get("additionalProperties")
    if isinstance(extra, dict):
        key = _join(path, holders.get(path, "<name>"))
        yield Key(key, resolved(extra, schema))
        yield from _walk(extra, schema, key, holders)


def _one_kind(properties: Mapping[str, Any], schema: Mapping[str, Any]) -> bool:
    """Whether the keys are sections of one definition (`$ref`) with keys of its own."""
    refs = {child.get("$ref") for child in properties.values()}
    if len(properties) < 2 or len(refs) != 1 or None in refs:
        return False
    return "properties" in resolved(next(iter(properties.values())), schema)


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def resolved(node: Mapping[str, Any], schema: Mapping[str, Any]) -> dict[str, Any]:
    """`node` with its `$ref` filled in; the node's own keywords win."""
    ref = node.get("$ref")
    if not ref:
        return dict(node)
    target = schema["$defs"][str(ref).rpartition("/")[2]]
    return {**resolved(target, schema), **{k: v for k, v in node.items() if k != "$ref"}}


def kind(key: Key, schema: Mapping[str, Any]) -> str:
    """What the key holds, with the schema's limits, in words."""
    said = _type(key.node, schema)
    if key.names:
        holder = key.path.rpartition(".")[2]
        said += f"; `{holder}`: " + names(key.names)
    return said


def _type(node: Mapping[str, Any], schema: Mapping[str, Any], many: bool = False) -> str:
    """`many`: in the plural (a list's items)."""
    node = resolved(node, schema)
    if "enum" in node:
        return ("" if many else "one of ") + names(node["enum"])
    if "oneOf" in node:
        return "; or ".join(_type(variant, schema, many) for variant in node["oneOf"])
    types = node.get("type", "any")
    if isinstance(types, list):
        return " or ".join(_noun(str(name), many) for name in types)
    if types == "array":
        noun = "list of " + _type(node.get("items", {}), schema, many=True)
    else:
        noun = _noun(str(types), many)
    if node.get("minLength") or node.get("minItems") or node.get("minProperties"):
        noun = "non-empty " + noun
    return ", ".join([noun, *_limits(node)])


def _noun(name: str, many: bool) -> str:
    """A JSON type in words: `mapping` for `object`."""
    if name == "null":
        return "`null`"
    return ("mapping" if name == "object" else name) + ("s" if many else "")


def _limits(node: Mapping[str, Any]) -> list[str]:
    said = []
    low, high = node.get("minimum"), node.get("maximum")
    if low is not None and high is not None:
        said.append(f"{low} to {high}")
    elif low is not None:
        said.append(f"at least {low}")
    if "exclusiveMinimum" in node:
        said.append(f"above {node['exclusiveMinimum']}")
    if node.get("uniqueItems"):
        said.append("no repeats")
    if "pattern" in node:
        said.append("matching " + code(node["pattern"]))
    if "pattern" in node.get("propertyNames", {}):
        said.append("keys matching " + code(node["propertyNames"]["pattern"]))
    return said


def names(values: Any) -> str:
    """`a`, `b` or `c`."""
    said = [code(str(value)) for value in values]
    return ", ".join(said[:-1]) + " or " + said[-1] if len(said) > 1 else said[0]


def code(text: str) -> str:
    """`text` as code in a table cell: a `|` would end the cell, so it becomes an entity."""
    if "|" not in text:
        return f"`{text}`"
    return "<code>" + html.escape(text).replace("|", "&#124;") + "</code>"


def prose(text: str) -> str:
    """Schema prose in a table cell: its code spans kept, the rest read as text, never as
    Markdown or HTML."""
    parts = re.split(r"(`[^`]+`)", text)
    for i, part in enumerate(parts):
        if i % 2:
            parts[i] = code(part[1:-1])
            continue
        for char in "\\*_[]|":
            part = part.replace(char, "\\" + char)
        parts[i] = html.escape(part, quote=False)
    return "".join(parts)
