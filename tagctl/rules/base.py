"""What a lint rule is: metadata, typed options, a pure `check()`, an optional `fix()`.

A rule describes problems; it never decides their severity or prints them.
The engine assigns the code and severity from the rule and tagctl.yaml, and
maps each problem's JSON path to a line and column.

A rule whose problems have one unambiguous repair sets `fixable` and
implements `fix()`; only `tagctl lint --fix` calls it (see `tagctl.fix`), so
a plain lint run never pays for it.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from tagctl.catalog.source import JsonPath

if TYPE_CHECKING:
    from tagctl.fix.context import FixContext
    from tagctl.lint.context import CatalogIndex, LintContext, TagFile, TagSummary

Severity = Literal["error", "warning"]
DefaultSeverity = Literal["error", "warning", "off"]  # "off": enabled only by tagctl.yaml


@dataclass(frozen=True)
class Problem:
    """One thing wrong, where it is, and optionally a more specific hint.

    `path` is the JSON path of the value at fault; with `at_key` the problem
    is shown at the key naming it. Rules that know the exact position (the
    loader's) give `line` and `column` directly.
    """

    message: str
    path: JsonPath = ()
    at_key: bool = False
    line: int | None = None
    column: int | None = None
    hint: str | None = None


class Referrers:
    """Tags that name an ended tag, gathered by the tag they name.

    A problem between two files is reported at both ends: at the reference,
    and here at the named tag's `status`, listing who names it, so that
    linting either file alone (as pre-commit does) finds it.
    """

    def __init__(self) -> None:
        self._by_rel: dict[str, tuple[TagSummary, set[str]]] = {}

    def add(self, named: TagSummary, by: str) -> None:
        self._by_rel.setdefault(named.rel, (named, set()))[1].add(by)

    def at_status(
        self, describe: Callable[[TagSummary, str], tuple[str, str | None]]
    ) -> Iterator[tuple[str, Problem]]:
        """One problem per named tag; `describe(tag, listed names)` gives message and hint."""
        for rel, (named, names) in self._by_rel.items():
            message, hint = describe(named, ", ".join(sorted(names)))
            yield rel, Problem(message, ("status",), hint=hint)


@dataclass(frozen=True)
class Fix:
    """A repair of one file: its new text, a new file name in the same folder, or both.

    `note` says what was done, in one line. `allow` names the rules whose new
    findings the repair brings on purpose (a placeholder left for a person to
    fill in), so that re-validation does not refuse it for them.
    """

    note: str
    text: str | None = None
    rename: str | None = None
    allow: tuple[str, ...] = ()


@dataclass(frozen=True)
class NoFix:
    """Why a fixable problem is left alone: the repair would be a guess."""

    reason: str


@dataclass(frozen=True)
class NoOptions:
    """For rules without options."""


class Rule(ABC):
    """Base of every rule. Subclasses set the class attributes below."""

    code: ClassVar[str]
    name: ClassVar[str]
    hint: ClassVar[str]
    severity: ClassVar[DefaultSeverity] = "error"
    Options: ClassVar[type[Any]] = NoOptions
    scope: ClassVar[Literal["file", "catalog"]] = "file"
    fixable: ClassVar[bool] = False

    def __init__(self, options: Any = None) -> None:
        self.options = options if options is not None else self.Options()

    @classmethod
    def summary(cls) -> str:
        """The first line of the docstring."""
        return cls.documentation().splitlines()[0]

    @classmethod
    def documentation(cls) -> str:
        """The docstring, dedented: the rule's documentation."""
        import inspect

        return inspect.cleandoc(cls.__doc__ or cls.name)

    def fix(self, text: str, tag: TagFile, ctx: FixContext) -> Fix | NoFix | None:
        """Repair this rule's problems in `text` (the file `tag` was read from).

        None when the rule finds nothing to repair. Never writes: the caller
        re-validates the result and writes it, or shows it as a diff.
        """
        return None


class FileRule(Rule):
    """A rule that needs only one file: its results are cached by content."""

    @abstractmethod
    def check(self, tag: TagFile, ctx: LintContext) -> Iterator[Problem]:
        """Yields the problems of one tag file."""


class CatalogRule(Rule):
    """A rule across files (references, duplicates) or time (sunset dates)."""

    scope = "catalog"

    @abstractmethod
    def check(self, catalog: CatalogIndex, ctx: LintContext) -> Iterator[tuple[str, Problem]]:
        """Yields (file path relative to the catalog root, problem)."""
