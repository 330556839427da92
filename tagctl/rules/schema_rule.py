"""Shared machinery of the TG1xx rules: each claims some JSON Schema keywords."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from tagctl.rulekit import FileRule, LintContext, Problem, TagFile

CLAIMED: set[str] = set()


class SchemaRule(FileRule):
    """Reports the schema errors whose keyword is in `keywords`."""

    keywords: ClassVar[frozenset[str]] = frozenset()

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        CLAIMED.update(cls.keywords)

    def wants(self, keyword: str) -> bool:
        return keyword in self.keywords

    def check(self, tag: TagFile, ctx: LintContext) -> Iterator[Problem]:
        for error in tag.schema_errors:
            if self.wants(error.keyword):
                yield Problem(error.message, path=error.path, at_key=error.at_key)
