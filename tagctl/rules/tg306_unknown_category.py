from __future__ import annotations

import difflib
from collections.abc import Iterator

from tagctl.rulekit import FileRule, LintContext, Problem, TagFile


class UnknownCategory(FileRule):
    """`category` is not one of the categories declared in tagctl.yaml.

    The taxonomy is configuration (`categories:` in tagctl.yaml), so that
    every tag lands in a category that has labels and a place in reports.
    """

    code = "TG306"
    name = "unknown-category"
    hint = "use a declared category, or declare the new one in tagctl.yaml"

    def check(self, tag: TagFile, ctx: LintContext) -> Iterator[Problem]:
        category = tag.text("category")
        known = ctx.config.categories
        if category is None or category in known:
            return
        close = difflib.get_close_matches(category, list(known), n=1)
        hint = f"did you mean '{close[0]}'?" if close else f"known: {', '.join(known)}"
        yield Problem(f"unknown category '{category}'", ("category",), hint=hint)
