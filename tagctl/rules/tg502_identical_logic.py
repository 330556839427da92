from __future__ import annotations

from collections.abc import Iterator

from tagctl.rulekit import CatalogIndex, CatalogRule, LintContext, Problem


class IdenticalLogic(CatalogRule):
    """Two tags have the same `logic`.

    Identical computations under two names split usage and KPIs between
    them; one of them should be deprecated in favour of the other. Compared
    ignoring case and white space; retired tags are left out.
    """

    code = "TG502"
    name = "identical-logic"
    severity = "warning"
    hint = "deprecate one tag with replaced_by the other"

    def check(self, catalog: CatalogIndex, ctx: LintContext) -> Iterator[tuple[str, Problem]]:
        live = [tag for tag in catalog if tag.status != "retired"]
        for tags in catalog.groups(lambda tag: tag.logic_digest, live):
            for tag in tags:
                others = ", ".join(o.name for o in tags if o is not tag)
                yield tag.rel, Problem(f"logic is identical to {others}", ("logic",))
