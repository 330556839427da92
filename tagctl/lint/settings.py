"""Rule settings from tagctl.yaml, checked when the configuration loads.

Unknown rule codes, unknown options and options of the wrong type are
errors that name the key at fault. A rule receives a frozen, typed options
object, never a raw mapping.

Ignore globs (`lint.ignore` and each rule's `ignore`) follow .gitignore
rules, matched against paths relative to the catalog root: `*` stays within
a folder, `**` crosses folders, a leading or inner `/` anchors the pattern
at the root (otherwise it matches at any depth), a trailing `/` matches a
folder and everything below it, and `!` re-includes what an earlier pattern
matched (the last matching pattern wins; unlike git, a file inside an
ignored folder can be re-included). Each list is compiled once.
"""

from __future__ import annotations

import dataclasses
import os
import typing
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from tagctl.catalog.config import Config
from tagctl.rulekit import Rule
from tagctl.rules import registry

if TYPE_CHECKING:
    from pathspec import GitIgnoreSpec


class Globs:
    """A list of ignore globs, compiled once: does a path relative to the catalog root match?"""

    def __init__(self, patterns: tuple[str, ...] = ()) -> None:
        self.patterns = patterns
        self._spec: GitIgnoreSpec | None = None
        self._seen: dict[str, bool] = {}  # a run asks about the same files more than once
        if patterns:
            # lazy: pathspec only when tagctl.yaml has ignore globs
            from pathspec import GitIgnoreSpec

            self._spec = GitIgnoreSpec.from_lines(patterns)

    def __call__(self, rel: str) -> bool:
        """Files outside the catalog root (an absolute `rel`) never match."""
        if self._spec is None:
            return False
        found = self._seen.get(rel)
        if found is None:
            found = self._seen[rel] = not os.path.isabs(rel) and self._spec.match_file(rel)
        return found


class InvalidGlob(ValueError):
    """A pattern that can match nothing: a comment, a blank, a malformed escape or range."""

    def __init__(self, index: int) -> None:
        super().__init__(index)
        self.index = index


@lru_cache(maxsize=64)
def compile_globs(patterns: tuple[str, ...]) -> Globs:
    """The matcher of `patterns`; InvalidGlob names the first one that is no glob."""
    if not patterns:
        return Globs()
    # lazy: pathspec only when tagctl.yaml has ignore globs
    from pathspec import GitIgnoreSpec

    for index, pattern in enumerate(patterns):
        try:
            compiled = GitIgnoreSpec.from_lines([pattern]).patterns
        except ValueError:
            compiled = []
        if not compiled or compiled[0].include is None:
            raise InvalidGlob(index)
    return Globs(patterns)


def globs(config: Config, where: tuple[str, ...], patterns: tuple[str, ...]) -> Globs:
    """`patterns` compiled; one that can match nothing is a configuration error at `where`."""
    try:
        return compile_globs(patterns)
    except InvalidGlob as error:
        message = "not a glob (a comment, a blank, or a malformed escape or [...] range)"
        raise config.error((*where, error.index), message, at_key=False) from None


def ignored_files(config: Config) -> Globs:
    """`lint.ignore`, compiled."""
    return globs(config, ("lint", "ignore"), config.lint.ignore)


@dataclass(frozen=True)
class ActiveRule:
    """A rule instance with its effective severity and ignore globs."""

    rule: Rule
    severity: str
    ignore: tuple[str, ...]
    ignores: Globs = field(default_factory=Globs, compare=False, repr=False)

    @property
    def code(self) -> str:
        return self.rule.code


def active_rules(config: Config, only: Iterable[str] | None = None) -> list[ActiveRule]:
    """The enabled rules, configured; `only` limits them to some codes."""
    known = registry()
    for code in config.lint.rules:
        if code not in known:
            raise config.error(("lint", "rules", code), f"unknown rule {code}")
    ignored_files(config)  # checked here, with the rest of the lint settings
    wanted = set(only) if only is not None else set(known)
    result = []
    for code, cls in known.items():
        settings = config.lint.rules.get(code)
        severity = (settings.severity if settings else None) or cls.severity
        options = _options(config, cls, dict(settings.options) if settings else {})
        ignore = settings.ignore if settings else ()
        matcher = globs(config, ("lint", "rules", code, "ignore"), ignore)
        if severity == "off" or code not in wanted:
            continue
        result.append(ActiveRule(cls(options), severity, ignore, matcher))
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
