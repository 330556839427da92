from __future__ import annotations

from collections.abc import Iterator

from tagctl.rulekit import FileRule, LintContext, Problem, TagFile


class ByteOrderMark(FileRule):
    """The file starts with a UTF-8 byte-order mark.

    Some Windows editors add an invisible BOM. It is harmless to tagctl but
    breaks naive tools (`head`, `grep ^name:`) and shows up as a spurious
    change in diffs.
    """

    code = "TG007"
    name = "byte-order-mark"
    severity = "warning"
    hint = "save the file as UTF-8 without BOM"

    def check(self, tag: TagFile, ctx: LintContext) -> Iterator[Problem]:
        if tag.source.bom:
            yield Problem("file starts with a UTF-8 byte-order mark", line=1, column=1)
