from __future__ import annotations

from collections.abc import Iterator

from tagctl.lint.context import CatalogIndex, LintContext
from tagctl.rules.base import CatalogRule, Problem

_ENDED = {"deprecated", "retired"}


class DeprecatedInUse(CatalogRule):
    """A deprecated tag without a replacement is still depended upon.

    Live tags that depend on it have nowhere to go when it is retired.
    Name a `replaced_by`, or move the dependents off it first.
    """

    code = "TG404"
    name = "deprecated-in-use"
    hint = "set deprecation.replaced_by, or remove the dependencies"

    def check(self, catalog: CatalogIndex, ctx: LintContext) -> Iterator[tuple[str, Problem]]:
        dependents = catalog.dependents()
        for tag in catalog:
            if tag.status != "deprecated" or tag.replaced_by:
                continue
            live = sorted({d.name for d in dependents.get(tag.name, []) if d.status not in _ENDED})
            if live:
                yield (
                    tag.rel,
                    Problem(
                        f"deprecated without a replacement but still used by {', '.join(live)}",
                        ("status",),
                    ),
                )
