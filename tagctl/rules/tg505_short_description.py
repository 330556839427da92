from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from tagctl.rulekit import FileRule, LintContext, Problem, TagFile


class ShortDescription(FileRule):
    """The description says too little.

    A description explains the business meaning: who gets the tag, from
    what data, what it is for. One shorter than `min_length` characters, or
    one that only repeats the display name, does not.

    Options:
      min_length (int, default 20): the shortest acceptable description.
    """

    code = "TG505"
    name = "short-description"
    severity = "warning"
    hint = "say who gets the tag, from what data, and what it is for"

    @dataclass(frozen=True)
    class Options:
        min_length: int = field(default=20, metadata={"min": 0, "max": 4000})

    def check(self, tag: TagFile, ctx: LintContext) -> Iterator[Problem]:
        text = tag.text("description")
        if text is None:
            return
        stripped = text.strip()
        names = {tag.text("display_name", lang) for lang in ("zh", "en")}
        if stripped in names:
            yield Problem("description only repeats the display name", ("description",))
        elif len(stripped) < self.options.min_length:
            yield Problem(
                f"description is {len(stripped)} characters; at least "
                f"{self.options.min_length} expected",
                ("description",),
            )
