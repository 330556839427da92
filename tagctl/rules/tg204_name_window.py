from __future__ import annotations

from collections.abc import Iterator

from tagctl.rulekit import FileRule, LintContext, Problem, TagFile


class NameWindow(FileRule):
    """The window in the name disagrees with the `window` field.

    When a name carries a window token (`visit_product_30d`), the `window`
    field must say the same (`window: 30d`): audiences are built from names,
    KPIs from fields, and the two must not drift apart.
    """

    code = "TG204"
    name = "name-window"
    hint = "make the name's window and the window field agree"

    def check(self, tag: TagFile, ctx: LintContext) -> Iterator[Problem]:
        name, kind = tag.text("name"), tag.text("type")
        if name is None or kind is None:
            return
        verdict = ctx.names.match(kind, name)
        if verdict is None or not verdict.ok or verdict.window is None:
            return
        window = tag.get("window")
        if window is None:
            yield Problem(
                f"name says '{verdict.window}' but the tag has no window field",
                ("name",),
                hint=f"add window: {verdict.window}",
            )
        elif window != verdict.window:
            yield Problem(f"name says '{verdict.window}' but window is '{window}'", ("window",))
