"""The packaged JSON Schemas and the validators built from them.

`schemas/` at the top of the source tree is the single source; the wheel
carries it as `tagctl/schemas`. Validity is decided by jsonschema-rs (fast,
compiled); the messages and paths of a failing document come from the
reference `jsonschema` implementation, so every message is the familiar one.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from tagctl.catalog.positions import yaml_spelling
from tagctl.catalog.source import JsonPath, dotted

_PACKAGED = Path(__file__).parents[1] / "schemas"  # tagctl/schemas in the wheel
_SOURCE_TREE = Path(__file__).parents[2] / "schemas"  # schemas/ of the checkout


def schema_dir() -> Path:
    """Where the schemas are: inside the installed package, else the source tree."""
    return _PACKAGED if _PACKAGED.is_dir() else _SOURCE_TREE


@cache
def load_schema(name: str) -> dict[str, Any]:
    """The parsed schema `name` (e.g. "tag"), from `<name>.schema.json`."""
    path = schema_dir() / f"{name}.schema.json"
    with path.open(encoding="utf-8") as handle:
        schema: dict[str, Any] = json.load(handle)
    return schema


@dataclass(frozen=True)
class SchemaError:
    """One schema failure: the keyword that failed, where, and why."""

    keyword: str
    path: JsonPath
    message: str
    at_key: bool = False


class Checker:
    """A compiled schema: `errors(doc)` is empty for a valid document."""

    def __init__(self, name: str) -> None:
        import jsonschema_rs  # lazy: ~20 ms, only when a document is validated

        self.name = name
        self._fast = jsonschema_rs.Draft202012Validator(load_schema(name), validate_formats=True)

    def errors(self, document: Any) -> list[SchemaError]:
        if self._valid(document):
            return []
        return list(explain(self.name, document))

    def _valid(self, document: Any) -> bool:
        try:
            return bool(self._fast.is_valid(document))
        except Exception:  # a value jsonschema-rs cannot map: let jsonschema decide
            return False


@cache
def _reference_validator(name: str) -> Any:
    import jsonschema  # lazy: ~100 ms, only when a failure is explained

    cls = jsonschema.Draft202012Validator
    return cls(load_schema(name), format_checker=cls.FORMAT_CHECKER)


def explain(name: str, document: Any) -> Iterator[SchemaError]:
    """Every error of `document` against schema `name`, most specific first."""
    validator = _reference_validator(name)
    try:
        found = sorted(validator.iter_errors(document), key=_order)
    except RecursionError:
        yield SchemaError("depth", (), "the document nests too deeply to validate")
        return
    seen: set[JsonPath] = set()
    for error in _leaves(found):
        for described in _describe(error):
            if described.keyword in ("required", "additionalProperties"):
                yield described
            elif described.path not in seen:  # one problem per value is enough
                seen.add(described.path)
                yield described


def _order(error: Any) -> tuple[Any, ...]:
    return (tuple(str(p) for p in error.absolute_path), error.validator)


def _leaves(errors: list[Any]) -> Iterator[Any]:
    """Unfold oneOf/anyOf into the branch that best explains the failure."""
    from jsonschema.exceptions import best_match  # lazy: jsonschema, as above

    for error in errors:
        if error.validator in ("oneOf", "anyOf") and error.context:
            # the branch that got furthest into the value explains it best
            deepest = max(len(e.absolute_path) for e in error.context)
            yield best_match(e for e in error.context if len(e.absolute_path) == deepest)
        else:
            yield error


def _describe(error: Any) -> Iterator[SchemaError]:
    path: JsonPath = tuple(error.absolute_path)
    keyword = str(error.validator)
    where = dotted(path)
    if keyword == "additionalProperties":
        allowed = error.schema.get("properties", {})
        inside = f" in {where}" if where else ""
        for extra in (yaml_spelling(key) for key in error.instance if key not in allowed):
            yield SchemaError(keyword, (*path, extra), f"unknown field '{extra}'{inside}", True)
    elif keyword == "required":
        missing = error.message.split("'")[1] if "'" in error.message else "?"
        inside = f" in {where}" if where else ""
        yield SchemaError(keyword, path, f"missing required field '{missing}'{inside}", True)
    else:
        yield SchemaError(keyword, path, _message(error, path))


def _message(error: Any, path: JsonPath) -> str:
    where = dotted(path)
    text = _shorten(error.message)
    if error.validator == "enum":
        allowed = ", ".join(str(v) for v in error.validator_value)
        text = f"{_shorten(repr(error.instance))} is not one of: {allowed}"
    elif error.validator == "type":
        text = f"expected {_type_words(error.validator_value)}, got {_type_name(error.instance)}"
    elif error.validator == "pattern" and where in _PATTERN_WORDS:
        text = f"{_shorten(repr(error.instance))} is not {_PATTERN_WORDS[where]}"
    return f"{where}: {text}" if where else text


_PATTERN_WORDS = {
    "version": "a semantic version like 1.2.0",
    "window": "a window like 7d, 4w, 3m, 1y or lifetime",
}


def _shorten(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _type_words(expected: Any) -> str:
    names = [expected] if isinstance(expected, str) else list(expected)
    return " or ".join(names)


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "mapping"
    return type(value).__name__
