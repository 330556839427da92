from __future__ import annotations

from collections.abc import Iterator

from tagctl.rulekit import FileRule, LintContext, Problem, TagFile


class YamlSyntax(FileRule):
    """The file is not valid YAML.

    The parser stopped at the position shown: an unclosed quote or bracket,
    a tab used for indentation, a value indented under a scalar, a key that
    is itself a list. Nothing else in the file can be checked until it
    parses.

    Bad:

        name: visit_product_30d
        display_name:
        <TAB>zh: 近30天浏览商品      # indented with a tab

    Good: indent with two spaces.
    """

    code = "TG001"
    name = "yaml-syntax"
    hint = "fix the YAML at this position; indent with spaces"

    def check(self, tag: TagFile, ctx: LintContext) -> Iterator[Problem]:
        error = tag.source.syntax_error
        if error is not None:
            message = f"YAML syntax error: {error.message}"
            yield Problem(message, line=error.line, column=error.column)
