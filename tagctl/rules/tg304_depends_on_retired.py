from __future__ import annotations

from collections.abc import Iterator

from tagctl.lint.context import CatalogIndex, LintContext
from tagctl.rules.base import CatalogRule, Problem


class DependsOnRetired(CatalogRule):
    """A tag depends on a retired tag.

    Retired tags are no longer computed: anything derived from one is
    computed from nothing. Tags that are themselves retired are not
    reported.
    """

    code = "TG304"
    name = "depends-on-retired"
    hint = "depend on the replacement, or remove the dependency"

    def check(self, catalog: CatalogIndex, ctx: LintContext) -> Iterator[tuple[str, Problem]]:
        for tag, index, name, target in catalog.edges:
            if target is None or target.status != "retired" or tag.status == "retired":
                continue
            hint = f"use '{target.replaced_by}'" if target.replaced_by else None
            yield (
                tag.rel,
                Problem(f"depends on retired tag '{name}'", ("depends_on", index), hint=hint),
            )
