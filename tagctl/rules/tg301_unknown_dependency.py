from __future__ import annotations

from collections.abc import Iterator

from tagctl.rulekit import CatalogIndex, CatalogRule, LintContext, Problem


class UnknownDependency(CatalogRule):
    """`depends_on` names a tag that is not in the catalog.

    Every dependency must resolve to a tag file of the catalog, so that
    impact analysis (`tagctl deps --reverse`) and the lifecycle rules can
    trust the graph. Checked against the whole catalog even when only some
    files are linted. The hint names the closest live tag, never the tag
    itself nor a deprecated or retired one.
    """

    code = "TG301"
    name = "unknown-dependency"
    hint = "correct the name, or add the missing tag"

    def check(self, catalog: CatalogIndex, ctx: LintContext) -> Iterator[tuple[str, Problem]]:
        for edge in catalog.edges:
            if edge.target is None:
                close = catalog.closest_live(edge.name, besides=edge.tag.name)
                hint = f"did you mean '{close}'?" if close else None
                message = f"depends on unknown tag '{edge.name}'"
                yield edge.tag.rel, Problem(message, ("depends_on", edge.position), hint=hint)
