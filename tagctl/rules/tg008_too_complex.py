from __future__ import annotations

from collections.abc import Iterator

from tagctl.lint.context import LintContext, TagFile
from tagctl.rules.base import FileRule, Problem


class TooComplex(FileRule):
    """The file is too large or too deeply nested to be a tag.

    Limits: 16 MiB per file, 64 levels of nesting, 100,000 values after
    expanding aliases. They protect every tool that reads the catalog from
    "billion laughs" alias bombs and runaway files; no real tag comes close.
    """

    code = "TG008"
    name = "too-complex"
    hint = "a tag file is a short mapping; remove the generated or repeated content"

    def check(self, tag: TagFile, ctx: LintContext) -> Iterator[Problem]:
        error = tag.source.too_complex
        if error is not None:
            yield Problem(error.message, line=error.line, column=error.column)
