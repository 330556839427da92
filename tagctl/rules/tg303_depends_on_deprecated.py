from __future__ import annotations

from collections.abc import Iterator

from tagctl.rulekit import CatalogIndex, CatalogRule, LintContext, Problem

_ENDED = {"deprecated", "retired"}


class DependsOnDeprecated(CatalogRule):
    """A live tag depends on a deprecated tag.

    The dependency will break at the deprecated tag's sunset date. Move to
    its replacement (named in the hint when there is a live one). Tags that
    are themselves deprecated or retired are not reported. A deprecated tag
    without a replacement is an error besides (TG404).
    """

    code = "TG303"
    name = "depends-on-deprecated"
    severity = "warning"
    hint = "depend on the replacement instead"

    def check(self, catalog: CatalogIndex, ctx: LintContext) -> Iterator[tuple[str, Problem]]:
        for tag, index, name, target in catalog.edges:
            if target is None or target.status != "deprecated" or tag.status in _ENDED:
                continue
            sunset = f" (sunset {target.sunset})" if target.sunset else ""
            replacement = catalog.live_replacement(target, asking=tag.name)
            hint = f"use '{replacement}'" if replacement else None
            yield (
                tag.rel,
                Problem(
                    f"depends on deprecated tag '{name}'{sunset}", ("depends_on", index), hint=hint
                ),
            )
