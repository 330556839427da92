from __future__ import annotations

from collections.abc import Iterator

from tagctl.rulekit import FileRule, LintContext, Problem, TagFile


class NotMapping(FileRule):
    """The file is not a single mapping of fields.

    A tag file holds exactly one YAML document whose top level is a mapping
    (`name: ...`, `version: ...`). An empty file, a list, a bare value or a
    stream of several `---` documents is not a tag.
    """

    code = "TG004"
    name = "not-a-mapping"
    hint = "write one tag as a mapping of fields, one tag per file"

    def check(self, tag: TagFile, ctx: LintContext) -> Iterator[Problem]:
        error = tag.source.not_mapping
        if error is not None:
            yield Problem(error.message, line=error.line, column=error.column)
