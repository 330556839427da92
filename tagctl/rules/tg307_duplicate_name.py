from __future__ import annotations

from collections.abc import Iterator
from operator import attrgetter

from tagctl.rulekit import CatalogIndex, CatalogRule, LintContext, Problem


class DuplicateName(CatalogRule):
    """Two files define a tag with the same `name`.

    Tag names are unique across the catalog, whatever folder a file is in:
    a name is how audiences, dependencies and warehouses refer to a tag.
    """

    code = "TG307"
    name = "duplicate-name"
    hint = "rename one of the tags, or delete the copy"

    def check(self, catalog: CatalogIndex, ctx: LintContext) -> Iterator[tuple[str, Problem]]:
        for tags in catalog.groups(attrgetter("name")):
            name = tags[0].name
            for tag in tags:
                others = ", ".join(other.rel for other in tags if other is not tag)
                yield tag.rel, Problem(f"tag '{name}' is also defined in {others}", ("name",))
