from __future__ import annotations

from collections.abc import Iterator

from tagctl.rulekit import CatalogIndex, CatalogRule, LintContext, Problem, TagSummary


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
        groups: dict[str, list[TagSummary]] = {}
        for tag in catalog:
            if tag.logic_digest and tag.status != "retired":
                groups.setdefault(tag.logic_digest, []).append(tag)
        for tags in groups.values():
            for tag in tags if len(tags) > 1 else ():
                others = ", ".join(o.name for o in tags if o is not tag)
                yield tag.rel, Problem(f"logic is identical to {others}", ("logic",))
