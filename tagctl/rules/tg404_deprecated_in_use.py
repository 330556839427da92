from __future__ import annotations

from collections.abc import Iterator

from tagctl.catalog.versioning import ENDED
from tagctl.rulekit import CatalogIndex, CatalogRule, LintContext, Problem, Referrers


class DeprecatedInUse(CatalogRule):
    """A deprecated tag without a replacement is still depended upon.

    Live tags that depend on it have nowhere to go when it is retired.
    Name a `replaced_by`, or move the dependents off it first. The problem
    is shown at the deprecated tag's status (listing its live dependents)
    and at each live dependent's `depends_on` entry, so that linting either
    file alone, as pre-commit does, finds it: adding the dependency and
    deprecating without a replacement are both ways to bring it about.
    """

    code = "TG404"
    name = "deprecated-in-use"
    hint = "set deprecation.replaced_by, or remove the dependencies"

    def check(self, catalog: CatalogIndex, ctx: LintContext) -> Iterator[tuple[str, Problem]]:
        users = Referrers()
        for tag, index, name, target in catalog.edges:
            if target is None or target.status != "deprecated" or target.replaced_by:
                continue
            if tag.status in ENDED:
                continue
            users.add(target, tag.name)
            yield (
                tag.rel,
                Problem(
                    f"depends on '{name}', which is deprecated without a replacement",
                    ("depends_on", index),
                    hint=f"remove the dependency, or have '{name}' name a replacement",
                ),
            )
        yield from users.at_status(
            lambda _, listed: (f"deprecated without a replacement but still used by {listed}", None)
        )
