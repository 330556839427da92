"""What a lint rule is: metadata, typed options, a pure `check()`, an optional `fix()`.

A rule describes problems; it never decides their severity or prints them.
The engine assigns the code and severity from the rule and tagctl.yaml, and
maps each problem's JSON path to a line and column.

A rule whose problems have one unambiguous repair sets `fixable` and
implements `fix()`, which describes the repair as edit operations
(`tagctl.rulekit.fixes`); only `tagctl lint --fix` calls it and applies
them, so a plain lint run never pays for it.
"""

from __future__ import annotations

import datetime as dt
import os
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from tagctl.catalog.config import Config
from tagctl.catalog.source import PLACEHOLDER_WORDS, JsonPath
from tagctl.rulekit.fixes import Fix, NoFix
from tagctl.rulekit.tagfile import CatalogIndex, TagFile, TagSummary, summarize

if TYPE_CHECKING:
    from tagctl.catalog.naming import NameMatcher
    from tagctl.changes.diff import CatalogDiff

Severity = Literal["error", "warning"]
DefaultSeverity = Literal["error", "warning", "off"]  # "off": enabled only by tagctl.yaml

# One located problem, as the lint worker returns and caches it:
# (code, message, hint, line, column, json path)
Finding = tuple[str, str, str, int, int, str]


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
        # lazy: inspect (about 10 ms) only to print a rule's documentation
        import inspect

        return inspect.cleandoc(cls.__doc__ or cls.name)

    def fix(self, tag: TagFile, ctx: FixContext) -> Fix | NoFix | None:
        """The repair of this rule's problems in `tag`, as edit operations.

        None when the rule finds nothing to repair. Never edits text: the
        caller applies the operations, re-validates the result and writes
        it, or shows it as a diff.
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


@dataclass
class LintContext:
    """The configuration, the day, and the changes since `--against REF` a lint run sees.

    `diff` is None without `--against`: the rules that compare with a git
    ref (TG410-TG414, TG416) then report nothing and cost nothing.
    """

    config: Config
    today: dt.date = field(default_factory=dt.date.today)
    diff: CatalogDiff | None = None
    tag_files: int | None = None  # found by the whole-catalog walk (TG012); None: not counted

    @cached_property
    def names(self) -> NameMatcher:
        # lazy: a warm lint never matches a name, so it never loads re2
        from tagctl.catalog.naming import NameMatcher

        return NameMatcher(self.config.naming)


class CatalogNames:
    """Which files hold which tag names, and which tags refer to a name.

    Kept current while a run renames tags, so that two fixes cannot both
    claim the same name.
    """

    def __init__(self, tags_dir: str, root: str) -> None:
        self.tags_dir = tags_dir
        self.root = root

    @cached_property
    def _summaries(self) -> dict[str, TagSummary]:
        # lazy: only a fix that renames a tag reads the whole catalog's names
        from tagctl.catalog.discovery import discover
        from tagctl.catalog.reader import read_source

        found: dict[str, TagSummary] = {}
        for path in discover(self.tags_dir, self.root):
            summary = summarize(TagFile(read_source(Path(path)), path))
            if summary is not None:
                found[os.path.abspath(path)] = summary
        return found

    def holders(self, name: str) -> list[str]:
        """The files (absolute paths) whose tag is called `name`."""
        return sorted(path for path, s in self._summaries.items() if s.name == name)

    def referrers(self, name: str) -> list[str]:
        """The names of the tags whose depends_on or replaced_by names `name`."""
        return sorted(
            s.name
            for s in self._summaries.values()
            if name in s.depends_on or s.replaced_by == name
        )

    def renamed(self, path: str, new_path: str, new_name: str | None = None) -> None:
        """Record that the tag at `path` moved to `new_path`, or took `new_name`."""
        summary = self._summaries.pop(os.path.abspath(path), None)
        if summary is not None:
            if new_name is not None:
                summary = summary._replace(name=new_name)
            self._summaries[os.path.abspath(new_path)] = summary


@dataclass
class FixContext:
    """What a rule's `fix()` may read besides its own file.

    The lint context (configuration, today), the active rules by code (the
    file-name fix asks the naming rules), and the catalog's names and
    references, read only when a fixer first asks for them.
    """

    lint: LintContext
    rules: Mapping[str, Rule] = field(default_factory=dict)

    @cached_property
    def names(self) -> CatalogNames:
        config = self.lint.config
        return CatalogNames(str(config.tags_dir), str(config.root))

    @property
    def placeholder(self) -> str:
        """The marker that TG504 reports, to start a text a person must write."""
        rule = self.rules.get("TG504")
        words: tuple[str, ...] = getattr(getattr(rule, "options", None), "words", ())
        return words[0] if words else PLACEHOLDER_WORDS[0]
