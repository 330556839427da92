"""What a lint rule is: metadata, typed options, and a pure `check()`.

A rule describes problems; it never decides their severity or prints them.
The engine assigns the code and severity from the rule and tagctl.yaml, and
maps each problem's JSON path to a line and column.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from tagctl.catalog.source import JsonPath

if TYPE_CHECKING:
    from tagctl.lint.context import CatalogIndex, LintContext, TagFile

Severity = Literal["error", "warning"]


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


@dataclass(frozen=True)
class NoOptions:
    """For rules without options."""


class Rule(ABC):
    """Base of every rule. Subclasses set the class attributes below."""

    code: ClassVar[str]
    name: ClassVar[str]
    hint: ClassVar[str]
    severity: ClassVar[Severity] = "error"
    Options: ClassVar[type[Any]] = NoOptions
    scope: ClassVar[Literal["file", "catalog"]] = "file"

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
