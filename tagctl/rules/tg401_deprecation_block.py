from __future__ import annotations

from collections.abc import Iterator

from tagctl.rulekit import FileRule, LintContext, Problem, TagFile

_ENDED = {"deprecated", "retired"}


class DeprecationBlock(FileRule):
    """The `deprecation` block and the status disagree.

    A deprecated or retired tag carries a `deprecation` block saying why,
    what replaces it and when it goes; a tag in any other status has none.
    A status flag alone is what catalogs without tagctl have, and nothing
    enforces it. `tagctl deprecate` writes the block for you.
    """

    code = "TG401"
    name = "deprecation-block"
    hint = "use `tagctl deprecate` to deprecate a tag"

    def check(self, tag: TagFile, ctx: LintContext) -> Iterator[Problem]:
        status = tag.text("status")
        block = tag.get("deprecation")
        if status in _ENDED and block is None:
            yield Problem(f"status is {status} but there is no deprecation block", ("status",))
        elif status is not None and status not in _ENDED and block is not None:
            yield Problem(
                f"status is {status} but the tag has a deprecation block",
                ("deprecation",),
                at_key=True,
                hint="set status: deprecated, or remove the block",
            )
