from __future__ import annotations

from collections.abc import Iterator

from tagctl.catalog.versioning import ALLOWED
from tagctl.rulekit import CatalogIndex, CatalogRule, LintContext, Problem


class StatusTransition(CatalogRule):
    """A tag's status changed in a way the lifecycle does not allow.

    Active only with `tagctl lint --against REF`; silent without it. The
    lifecycle is draft -> development -> testing -> online -> deprecated ->
    retired, one step at a time. Allowed steps back: development -> draft,
    testing -> development, and deprecated -> online (a deprecation withdrawn
    before its sunset). An online tag goes only to deprecated, so that its
    users are warned; a retired tag stays retired (a tag that comes back is
    a new tag). A tag never released (draft, development, testing) may be
    deleted instead of deprecated.

    For example, `status: draft` at REF and `status: online` now skips
    development and testing.
    """

    code = "TG412"
    name = "status-transition"
    hint = "move one lifecycle step at a time; use `tagctl deprecate` and `tagctl retire`"

    def check(self, catalog: CatalogIndex, ctx: LintContext) -> Iterator[tuple[str, Problem]]:
        if ctx.diff is None:
            return
        for change in ctx.diff.changes:
            if change.current is None or change.transition_ok:
                continue
            before, after = change.statuses
            allowed = sorted(ALLOWED.get(before, ()))
            hint = f"from {before} a tag may go to: {', '.join(allowed)}" if allowed else None
            message = f"status went from {before} to {after} since {ctx.diff.ref}"
            yield change.current.rel, Problem(message, ("status",), hint=hint or self.hint)
