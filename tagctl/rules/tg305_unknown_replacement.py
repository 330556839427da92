from __future__ import annotations

from collections.abc import Iterator

from tagctl.lint.context import CatalogIndex, LintContext
from tagctl.rules.base import CatalogRule, Problem

_PATH = ("deprecation", "replaced_by")


class UnknownReplacement(CatalogRule):
    """`deprecation.replaced_by` does not name a live tag.

    The replacement must exist in the catalog, must not be the tag itself,
    and must not be deprecated or retired: users are sent to it.
    """

    code = "TG305"
    name = "unknown-replacement"
    hint = "name an existing tag that is not deprecated"

    def check(self, catalog: CatalogIndex, ctx: LintContext) -> Iterator[tuple[str, Problem]]:
        for tag in catalog:
            name = tag.replaced_by
            if not name:
                continue
            target = catalog.get(name)
            if name == tag.name:
                yield tag.rel, Problem("a tag cannot replace itself", _PATH)
            elif target is None:
                yield tag.rel, Problem(f"replacement '{name}' is not in the catalog", _PATH)
            elif target.status in ("deprecated", "retired"):
                yield tag.rel, Problem(f"replacement '{name}' is itself {target.status}", _PATH)
