from __future__ import annotations

from collections.abc import Iterator

from tagctl.catalog.versioning import next_version
from tagctl.rulekit import CatalogIndex, CatalogRule, LintContext, Problem


class BreakingWithoutMajor(CatalogRule):
    """A breaking change since the `--against` ref without a new major version.

    Active only with `tagctl lint --against REF`; silent without it.
    Breaking changes are those after which a consumer of the tag (an
    audience, a model, a report) may get other values or none: a rename
    (`renamed_from`), a new `value_type`, an enum value removed, a new
    `window` or `granularity`, a narrower `range`. They need a new major
    version, so that consumers see it coming; below 1.0.0 a new minor
    version is enough. `tagctl diff --against REF` lists every change and
    its class.

    For example, `window: 30d` becoming `window: 7d` with `version: 1.2.0`
    going to 1.3.0: make it 2.0.0, or make a new tag instead.
    """

    code = "TG411"
    name = "breaking-without-major"
    hint = "raise the major version, or make the change compatible"

    def check(self, catalog: CatalogIndex, ctx: LintContext) -> Iterator[tuple[str, Problem]]:
        if ctx.diff is None:
            return
        for change in ctx.diff.changes:
            if change.current is None or change.base is None or not change.breaking:
                continue
            if change.bump_ok or change.bump is None:
                continue
            before, after = change.versions
            message = (
                f"breaking change since {ctx.diff.ref} ({'; '.join(change.reasons)}) "
                f"but the version went from {before} to {after}"
            )
            suggestion = next_version(before, "major")
            hint = f"version: {suggestion}" if suggestion else None
            yield change.current.rel, Problem(message, ("version",), hint=hint)
