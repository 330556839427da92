from __future__ import annotations

from collections.abc import Iterator

from tagctl.catalog.versioning import next_version
from tagctl.rulekit import CatalogIndex, CatalogRule, LintContext, Problem


class VersionNotBumped(CatalogRule):
    """A tag changed since the `--against` ref but its version did not go up.

    Active only with `tagctl lint --against REF`; silent without it. Each tag
    is compared with its file at REF. A change of the definition (logic,
    source, depends_on, status, values added, a wider range...) needs a new
    minor version; a change of metadata only (description, owners, display
    names, value labels) a new patch. A version that went down is reported
    too. Breaking changes, which need a new major version, are TG411's; a
    change of the version or the changelog alone needs nothing.

    For example, `logic` rewritten while `version: 1.2.0` stays: set
    `version: 1.3.0` and add a changelog entry for it.
    """

    code = "TG410"
    name = "version-not-bumped"
    hint = "raise `version` as the change requires and add a changelog entry"

    def check(self, catalog: CatalogIndex, ctx: LintContext) -> Iterator[tuple[str, Problem]]:
        if ctx.diff is None:
            return
        for change in ctx.diff.changes:
            if change.current is None or change.base is None or change.breaking:
                continue
            if change.bump is None or (change.bump_ok and change.bump != "down"):
                continue  # an unreadable version is TG105's
            before, after = change.versions
            if change.bump == "down":
                message = f"version went down from {before} to {after} since {ctx.diff.ref}"
            else:
                changed = [c.field for c in change.fields if c.level != "none"]
                fields = ", ".join(dict.fromkeys(changed))
                message = (
                    f"{fields} changed since {ctx.diff.ref} but the version is still {after}; "
                    f"a {change.required} bump is required"
                )
            suggestion = next_version(before, change.required)
            hint = f"version: {suggestion}" if suggestion else None
            yield change.current.rel, Problem(message, ("version",), hint=hint)
