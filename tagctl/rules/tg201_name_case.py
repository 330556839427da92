from __future__ import annotations

import re
from collections.abc import Iterator

from tagctl.rulekit import FileRule, LintContext, Problem, TagFile

_SNAKE = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")


class NameCase(FileRule):
    """The tag name is not lowercase snake_case, or is too long.

    Names are `[a-z][a-z0-9_]*`: they start with a letter, use lowercase
    letters, digits and single underscores, and do not end in an underscore.
    They become column names in wide tables and identifiers in every
    downstream system, so the form is strict. The longest allowed name is
    `naming.max_length` in tagctl.yaml (default 64).

    Bad: `Visit-Product-30D`, `visit__product_30d`, `30d_visit`.
    Good: `visit_product_30d`.
    """

    code = "TG201"
    name = "name-case"
    hint = "use lowercase letters, digits and single underscores"

    def check(self, tag: TagFile, ctx: LintContext) -> Iterator[Problem]:
        name = tag.text("name")
        if name is None:
            return
        if not _SNAKE.fullmatch(name):
            suggestion = _snake(name)
            hint = f"for example '{suggestion}'" if suggestion else None
            yield Problem(f"'{name}' is not lowercase snake_case", ("name",), hint=hint)
        limit = ctx.config.naming.max_length
        if len(name) > limit:
            yield Problem(f"name is {len(name)} characters, the limit is {limit}", ("name",))


def _snake(name: str) -> str:
    words = re.findall(r"[A-Za-z0-9]+", re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name))
    candidate = "_".join(word.lower() for word in words)
    return candidate if _SNAKE.fullmatch(candidate) else ""
