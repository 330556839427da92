from __future__ import annotations

from collections.abc import Iterator

from tagctl.rulekit import FileRule, LintContext, Problem, TagFile


class TooComplex(FileRule):
    """The file is too large or too deeply nested to be a tag.

    Limits: 16 MiB per file, 64 levels of nesting, 100,000 values after
    expanding aliases, numbers within ±1.8e308 (what a double holds: no
    5,000-digit integer, no `1e999`). They protect every tool that reads the
    catalog from "billion laughs" alias bombs, runaway files and numbers
    that JSON output, `show`, `export` or a KPI run cannot hold; no real tag
    comes close.
    """

    code = "TG008"
    name = "too-complex"
    hint = "a tag file is a short mapping; remove the generated or repeated content"

    def check(self, tag: TagFile, ctx: LintContext) -> Iterator[Problem]:
        error = tag.source.too_complex
        if error is not None:
            yield Problem(error.message, line=error.line, column=error.column)
