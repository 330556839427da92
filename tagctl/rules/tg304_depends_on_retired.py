from __future__ import annotations

from collections.abc import Iterator

from tagctl.rulekit import CatalogIndex, CatalogRule, LintContext, Problem, Referrers


class DependsOnRetired(CatalogRule):
    """A tag depends on a retired tag.

    Retired tags are no longer computed: anything derived from one is
    computed from nothing. Tags that are themselves retired are not
    reported. The problem is shown at the dependency, and at the retired
    tag's status (listing its dependents), so that linting either file
    alone, as pre-commit does, finds it: a tag is retired only once
    nothing depends on it.
    """

    code = "TG304"
    name = "depends-on-retired"
    hint = "depend on the replacement, or remove the dependency"

    def check(self, catalog: CatalogIndex, ctx: LintContext) -> Iterator[tuple[str, Problem]]:
        users = Referrers()
        for tag, index, name, target in catalog.edges:
            if target is None or target.status != "retired" or tag.status == "retired":
                continue
            users.add(target, tag.name)
            replacement = catalog.live_replacement(target, asking=tag.name)
            hint = f"use '{replacement}'" if replacement else None
            yield (
                tag.rel,
                Problem(f"depends on retired tag '{name}'", ("depends_on", index), hint=hint),
            )
        yield from users.at_status(
            lambda target, listed: (
                f"retired but still used by {listed}",
                f"move {listed} off '{target.name}' first",
            )
        )
