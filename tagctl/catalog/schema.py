"""The packaged JSON Schemas and the validators built from them.

`schemas/` at the top of the source tree is the single source; the wheel
carries it as `tagctl/schemas`. Validity is decided by jsonschema-rs (fast,
compiled), and so are the paths of a failing document's errors. Their
messages are written here, word for word those of the reference `jsonschema`
implementation; a keyword this module does not word (oneOf, anyOf, ...) and a
value jsonschema-rs cannot read are explained by the reference itself.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
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
        try:
            if self._fast.is_valid(document):
                return []
            failures = [
                _worded(error, document, load_schema(self.name))
                for error in self._fast.iter_errors(document)
            ]
        except Exception:  # a value jsonschema-rs cannot map: let jsonschema decide
            return list(explain(self.name, document))
        if not all(failures):
            return list(explain(self.name, document))
        return list(_explained(failures))


@dataclass
class _Failure:
    """A jsonschema-rs error with what the reference's error carries for `_describe`."""

    validator: str
    absolute_path: JsonPath
    instance: Any
    schema: dict[str, Any]
    message: str = ""
    context: list[Any] = field(default_factory=list)

    @property
    def validator_value(self) -> Any:
        return self.schema[self.validator]


def _worded(error: Any, document: Any, schema: dict[str, Any]) -> _Failure | None:
    """`error` of jsonschema-rs with the reference's message; None for a keyword not worded here."""
    keyword = error.kind.name
    worded = keyword in _WORDS or keyword in _DESCRIBED
    if not worded or error.schema_path[-1:] != [keyword]:
        return None  # e.g. dependentRequired, which jsonschema-rs reports as `required`
    path: JsonPath = tuple(error.instance_path)
    instance = document
    for step in path:
        instance = instance[step]
    subschema = schema
    for step in error.schema_path[:-1]:
        subschema = _resolve(schema, subschema[step]) if step == "$ref" else subschema[step]
    failure = _Failure(keyword, path, instance, subschema)
    if keyword == "required":
        failure.message = f"{error.kind.property!r} is a required property"
    elif keyword in _WORDS:
        failure.message = _WORDS[keyword](instance, failure.validator_value)
    return failure


def _resolve(schema: dict[str, Any], ref: str) -> dict[str, Any]:
    """A local `$ref` (`#/$defs/date`) of `schema`."""
    target = schema
    for step in ref.removeprefix("#/").split("/"):
        target = target[step]
    return target


def _sized(at: int, special: str, usual: str) -> Callable[[Any, Any], str]:
    """The reference's words for a size keyword: `special` when the bound is `at`."""
    return lambda instance, bound: f"{instance!r} {special if bound == at else usual}"


# Keywords whose message `_describe` writes from the error's parts.
_DESCRIBED = frozenset({"required", "additionalProperties", "type", "enum"})
# The reference implementation's message for the other keywords, from the value and the bound.
_WORDS: dict[str, Callable[[Any, Any], str]] = {
    "minLength": _sized(1, "should be non-empty", "is too short"),
    "minItems": _sized(1, "should be non-empty", "is too short"),
    "maxLength": _sized(0, "is expected to be empty", "is too long"),
    "maxItems": _sized(0, "is expected to be empty", "is too long"),
    "minProperties": _sized(1, "should be non-empty", "does not have enough properties"),
    "uniqueItems": lambda instance, _: f"{instance!r} has non-unique elements",
    "pattern": lambda instance, pattern: f"{instance!r} does not match {pattern!r}",
    "format": lambda instance, name: f"{instance!r} is not a {name!r}",
    "const": lambda instance, value: f"{value!r} was expected",
    "minimum": lambda i, bound: f"{i!r} is less than the minimum of {bound!r}",
    "maximum": lambda i, bound: f"{i!r} is greater than the maximum of {bound!r}",
    "exclusiveMinimum": lambda i, bound: f"{i!r} is less than or equal to the minimum of {bound!r}",
    "exclusiveMaximum": lambda i, bound: (
        f"{i!r} is greater than or equal to the maximum of {bound!r}"
    ),
}


@cache
def _reference_validator(name: str) -> Any:
    import jsonschema  # lazy: ~100 ms, only when a failure is explained

    cls = jsonschema.Draft202012Validator
    return cls(load_schema(name), format_checker=cls.FORMAT_CHECKER)


def explain(name: str, document: Any) -> Iterator[SchemaError]:
    """Every error of `document` against schema `name`, most specific first."""
    validator = _reference_validator(name)
    try:
        found = list(validator.iter_errors(document))
    except RecursionError:
        yield SchemaError("depth", (), "the document nests too deeply to validate")
        return
    yield from _explained(found)


def _explained(found: list[Any]) -> Iterator[SchemaError]:
    """The errors of one document, most specific first, one per value (but every field named)."""
    seen: set[JsonPath] = set()
    for error in _leaves(sorted(found, key=_order)):
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
    for error in errors:
        if error.validator in ("oneOf", "anyOf") and error.context:
            from jsonschema.exceptions import best_match  # lazy: jsonschema, only for these

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
