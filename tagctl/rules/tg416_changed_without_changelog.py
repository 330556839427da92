from __future__ import annotations

from collections.abc import Iterator

from tagctl.rulekit import CatalogIndex, CatalogRule, LintContext, Problem


class ChangedWithoutChangelog(CatalogRule):
    """A tag got a new version since the `--against` ref but has no changelog.

    Active only with `tagctl lint --against REF`; silent without it. A new
    version says that something changed; the changelog says what. Tags
    that have a changelog are checked by TG415 (an entry for the current
    version) with or without a ref; this rule covers the tags that have
    none, so that a catalog can adopt changelogs one change at a time
    instead of all at once.

    For example, `version: 1.2.0` at REF and `version: 1.3.0` now, with no
    `changelog` key.
    """

    code = "TG416"
    name = "changed-without-changelog"
    severity = "warning"
    hint = "add `changelog: [{version, date, change}]` for the new version"

    def check(self, catalog: CatalogIndex, ctx: LintContext) -> Iterator[tuple[str, Problem]]:
        if ctx.diff is None:
            return
        for change in ctx.diff.changes:
            current = change.current
            if current is None or change.base is None or "changelog" in current.data:
                continue
            if change.bump in ("patch", "minor", "major"):
                before, after = change.versions
                message = f"version went from {before} to {after} but the tag has no changelog"
                yield current.rel, Problem(message, ("version",))
