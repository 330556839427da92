from __future__ import annotations

from collections.abc import Iterator

from tagctl.rulekit import FileRule, LintContext, Problem, TagFile


class Encoding(FileRule):
    """The file is not UTF-8 text.

    Tag files hold Chinese and English text and must be UTF-8. A file saved
    as GBK, UTF-16 or Latin-1, a binary file, or text with control characters
    is rejected at the first offending byte.
    """

    code = "TG003"
    name = "encoding"
    hint = "save the file as UTF-8"

    def check(self, tag: TagFile, ctx: LintContext) -> Iterator[Problem]:
        error = tag.source.not_utf8
        if error is not None:
            yield Problem(f"not UTF-8 text: {error.message}", line=error.line, column=error.column)
