from __future__ import annotations

from collections.abc import Iterator

from tagctl.catalog.versioning import ENDED
from tagctl.rulekit import CatalogIndex, CatalogRule, LintContext, Problem, Referrers

_PATH = ("deprecation", "replaced_by")


class UnknownReplacement(CatalogRule):
    """`deprecation.replaced_by` does not name a live tag.

    The replacement must exist in the catalog, must not be the tag itself,
    and must not be deprecated or retired: users are sent to it. A
    replacement that has ended is reported at `replaced_by` and at the
    replacement's status (listing the tags it replaces), so that linting
    either file alone, as pre-commit does, finds it. Hints name only live
    tags other than the tag itself.
    """

    code = "TG305"
    name = "unknown-replacement"
    hint = "name an existing tag that is not deprecated"

    def check(self, catalog: CatalogIndex, ctx: LintContext) -> Iterator[tuple[str, Problem]]:
        replacing = Referrers()
        for tag in catalog.related:
            name = tag.replaced_by
            if not name:
                continue
            target = catalog.get(name)
            if name == tag.name:
                yield tag.rel, Problem("a tag cannot replace itself", _PATH)
            elif target is None:
                close = catalog.closest_live(name, besides=tag.name)
                hint = f"did you mean '{close}'?" if close else None
                message = f"replacement '{name}' is not in the catalog"
                yield tag.rel, Problem(message, _PATH, hint=hint)
            elif target.status in ENDED:
                further = catalog.live_replacement(target, asking=tag.name)
                hint = f"use '{further}'" if further else None
                message = f"replacement '{name}' is itself {target.status}"
                yield tag.rel, Problem(message, _PATH, hint=hint)
                replacing.add(target, tag.name)
        yield from replacing.at_status(
            lambda target, listed: (
                f"{target.status} but named as the replacement of {listed}",
                f"point the replaced_by of {listed} at a live tag",
            )
        )
