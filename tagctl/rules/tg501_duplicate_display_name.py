from __future__ import annotations

from collections.abc import Iterator
from operator import attrgetter

from tagctl.rulekit import CatalogIndex, CatalogRule, LintContext, Problem


class DuplicateDisplayName(CatalogRule):
    """Two tags share a display name.

    People pick tags by their display names; two tags both called
    "高潜复购人群" are a support ticket waiting to happen, and usually a
    redundant tag. Compared per language, ignoring case and spaces; retired
    tags are left out.
    """

    code = "TG501"
    name = "duplicate-display-name"
    severity = "warning"
    hint = "make the display names say how the tags differ, or merge the tags"

    def check(self, catalog: CatalogIndex, ctx: LintContext) -> Iterator[tuple[str, Problem]]:
        live = [tag for tag in catalog if tag.status != "retired"]
        for lang in ("zh", "en"):
            for tags in catalog.groups(attrgetter(f"{lang}_key"), live):
                for tag in tags:
                    others = ", ".join(o.name for o in tags if o is not tag)
                    yield (
                        tag.rel,
                        Problem(
                            f"display_name.{lang} '{getattr(tag, lang)}' is also used by {others}",
                            ("display_name", lang),
                        ),
                    )
