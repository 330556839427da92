from __future__ import annotations

from collections.abc import Iterator

from tagctl.rulekit import FileRule, LintContext, Problem, TagFile


class DuplicateKey(FileRule):
    """A key appears twice in the same mapping.

    YAML parsers keep the last value and silently drop the first, so the
    file means something other than what a reader sees. The position is the
    second occurrence.

    Bad:

        status: online
        status: deprecated
    """

    code = "TG002"
    name = "duplicate-key"
    hint = "keep one of the two values and delete the other"

    def check(self, tag: TagFile, ctx: LintContext) -> Iterator[Problem]:
        for duplicate in tag.source.duplicates:
            yield Problem(
                f"duplicate key '{duplicate.key}': only the last value would count",
                line=duplicate.line,
                column=duplicate.column,
            )
