"""What a rule's `fix()` may read besides its own file.

The lint context (configuration, today), the active rules by code (a fixer
may ask other rules, as the file-name fix asks the naming rules), and the
catalog's names and references, read only when a fixer first asks for them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from tagctl.lint.context import LintContext, TagSummary
from tagctl.rules.base import Rule

DEFAULT_PLACEHOLDER = "TODO"


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
        from tagctl.catalog.discovery import discover
        from tagctl.catalog.reader import read_source
        from tagctl.lint.context import TagFile, summarize

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
        return words[0] if words else DEFAULT_PLACEHOLDER
