from __future__ import annotations

from collections.abc import Iterator

from tagctl.rulekit import CatalogIndex, CatalogRule, LintContext, Problem


class RemovedWithoutDeprecation(CatalogRule):
    """A released tag was removed since the `--against` ref without being deprecated first.

    Active only with `tagctl lint --against REF`; silent without it. Users
    of a tag learn that it goes from its deprecation (status, reason,
    replacement, sunset date); a tag that simply disappears breaks them
    without warning. Deprecate it first (`tagctl deprecate`), retire it
    after the sunset, then delete the file if the team wants to. A tag that
    was never released (draft, development or testing at REF) may be
    deleted. The problem is shown at the removed file's path, line 1, in
    runs over the whole catalog (not when lint is given files, as by
    pre-commit: a removed file is not among them).

    For example, `tags/behavior/visit_store_7d.yaml` deleted while it was
    `status: online` at REF.
    """

    code = "TG414"
    name = "removed-without-deprecation"
    hint = "restore the file and run `tagctl deprecate` for the tag"

    def check(self, catalog: CatalogIndex, ctx: LintContext) -> Iterator[tuple[str, Problem]]:
        if ctx.diff is None:
            return
        for change in ctx.diff.changes:
            base = change.base
            if change.kind != "removed" or base is None or not change.breaking:
                continue
            message = (
                f"tag '{base.name}' ({base.text('status')} at {ctx.diff.ref}) was removed "
                "without being deprecated first"
            )
            hint = f"restore it from {ctx.diff.ref}, then run `tagctl deprecate {base.name}`"
            yield base.rel, Problem(message, (), line=1, column=1, hint=hint)
