"""Rule settings from tagctl.yaml, checked when the configuration loads.

Unknown rule codes, unknown options and options of the wrong type are
errors that name the key at fault. A rule receives a frozen, typed options
object, never a raw mapping.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import typing
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from tagctl.catalog.config import Config
from tagctl.rules import registry
from tagctl.rules.base import Rule


@dataclass(frozen=True)
class ActiveRule:
    """A rule instance with its effective severity and ignore globs."""

    rule: Rule
    severity: str
    ignore: tuple[str, ...]

    @property
    def code(self) -> str:
        return self.rule.code

    def ignores(self, rel: str) -> bool:
        return any(fnmatch.fnmatch(rel, pattern) for pattern in self.ignore)


def active_rules(config: Config, only: Iterable[str] | None = None) -> list[ActiveRule]:
    """The enabled rules, configured; `only` limits them to some codes."""
    known = registry()
    for code in config.lint.rules:
        if code not in known:
            raise config.error(("lint", "rules", code), f"unknown rule {code}")
    wanted = set(only) if only is not None else set(known)
    result = []
    for code, cls in known.items():
        settings = config.lint.rules.get(code)
        severity = (settings.severity if settings else None) or cls.severity
        options = _options(config, cls, dict(settings.options) if settings else {})
        if severity == "off" or code not in wanted:
            continue
        ignore = settings.ignore if settings else ()
        result.append(ActiveRule(cls(options), severity, ignore))
    return result


def _options(config: Config, cls: type[Rule], raw: dict[str, Any]) -> Any:
    fields = {f.name: f for f in dataclasses.fields(cls.Options)}
    hints = typing.get_type_hints(cls.Options)
    values: dict[str, Any] = {}
    for key, value in raw.items():
        where = ("lint", "rules", cls.code, "options", key)
        if key not in fields:
            known = ", ".join(fields) or "none"
            raise config.error(where, f"unknown option for {cls.code} (known: {known})")
        values[key] = _coerce(config, where, hints[key], value)
        low, high = fields[key].metadata.get("min"), fields[key].metadata.get("max")
        if (low is not None and values[key] < low) or (high is not None and values[key] > high):
            raise config.error(where, f"must be between {low} and {high}", at_key=False)
    return cls.Options(**values)


def _coerce(config: Config, where: tuple[str, ...], hint: Any, value: Any) -> Any:
    origin = typing.get_origin(hint)
    if origin is tuple:
        if isinstance(value, list) and all(isinstance(item, str) for item in value):
            return tuple(value)
        raise config.error(where, "expected a list of strings", at_key=False)
    expected = hint if isinstance(hint, type) else object
    ok = isinstance(value, expected) and not (expected is not bool and isinstance(value, bool))
    if expected is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if not ok:
        raise config.error(where, f"expected {expected.__name__}", at_key=False)
    return value
