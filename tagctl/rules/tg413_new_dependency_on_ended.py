from __future__ import annotations

from collections.abc import Iterator

from tagctl.catalog.versioning import ENDED
from tagctl.rulekit import CatalogIndex, CatalogRule, LintContext, Problem


class NewDependencyOnEnded(CatalogRule):
    """A `depends_on` entry added since the `--against` ref names a deprecated or retired tag.

    Active only with `tagctl lint --against REF`; silent without it. An
    existing dependency on a tag that has since been deprecated is a
    warning (TG303) while the team moves off it; a new one is a mistake
    that makes the cleanup longer. Tags that are themselves deprecated or
    retired are not reported.

    For example, `depends_on: [visit_store_7d]` added to a tag while
    `visit_store_7d` is deprecated and replaced by `visit_store_30d`.
    """

    code = "TG413"
    name = "new-dependency-on-ended"
    hint = "depend on the replacement instead"

    def check(self, catalog: CatalogIndex, ctx: LintContext) -> Iterator[tuple[str, Problem]]:
        if ctx.diff is None:
            return
        for change in ctx.diff.changes:
            current = change.current
            if current is None or current.text("status") in ENDED:
                continue
            before = set(_names(change.base.data.get("depends_on"))) if change.base else set()
            for index, name in enumerate(_names(current.data.get("depends_on"))):
                target = catalog.get(name)
                if name in before or target is None or target.status not in ENDED:
                    continue
                replacement = catalog.live_replacement(target, asking=current.name)
                hint = f"use '{replacement}'" if replacement else None
                message = f"new dependency on {target.status} tag '{name}' since {ctx.diff.ref}"
                yield current.rel, Problem(message, ("depends_on", index), hint=hint)


def _names(value: object) -> list[str]:
    if not isinstance(value, list):
        return []
    return [item if isinstance(item, str) else "" for item in value]
