from __future__ import annotations

from collections.abc import Iterator

from tagctl.rulekit import FileRule, LintContext, Problem, TagFile

_NEEDED = ("reason", "sunset", "deprecated_at", "deprecated_by")


class DeprecationIncomplete(FileRule):
    """The `deprecation` block lacks a reason, dates or an author.

    A deprecation is a promise to the tag's users: it says why
    (`reason`), when the tag goes (`sunset`), since when it has been
    deprecated (`deprecated_at`) and who decided (`deprecated_by`); the
    sunset comes after the deprecation date. `replaced_by` is optional.
    """

    code = "TG402"
    name = "deprecation-incomplete"
    hint = "fill in reason, sunset, deprecated_at and deprecated_by"

    def check(self, tag: TagFile, ctx: LintContext) -> Iterator[Problem]:
        block = tag.get("deprecation")
        if not isinstance(block, dict):
            return
        missing = [key for key in _NEEDED if block.get(key) in (None, "")]
        if missing:
            yield Problem(f"deprecation lacks {', '.join(missing)}", ("deprecation",), at_key=True)
        since, sunset = block.get("deprecated_at"), block.get("sunset")
        if isinstance(since, str) and isinstance(sunset, str) and sunset <= since:
            yield Problem(
                f"sunset {sunset} is not after deprecated_at {since}", ("deprecation", "sunset")
            )
