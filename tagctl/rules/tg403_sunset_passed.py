from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

from tagctl.rulekit import CatalogIndex, CatalogRule, LintContext, Problem


class SunsetPassed(CatalogRule):
    """A deprecated tag is past its sunset date.

    The date promised to its users has come: retire the tag
    (`tagctl retire NAME`), or move the sunset if the team agreed to.
    This rule depends on today's date, so its result is never cached.

    Options:
      grace_days (int, default 0): days after the sunset before reporting.
    """

    code = "TG403"
    name = "sunset-passed"
    hint = "run `tagctl retire` for the tag, or agree a later sunset"

    @dataclass(frozen=True)
    class Options:
        grace_days: int = field(default=0, metadata={"min": 0, "max": 3650})

    def check(self, catalog: CatalogIndex, ctx: LintContext) -> Iterator[tuple[str, Problem]]:
        limit = ctx.today - dt.timedelta(days=self.options.grace_days)
        for tag in catalog.subjects:
            if tag.status != "deprecated" or not tag.sunset:
                continue
            try:
                sunset = dt.date.fromisoformat(tag.sunset)
            except ValueError:
                continue  # TG105 reports the malformed date
            if sunset < limit:
                yield (
                    tag.rel,
                    Problem(
                        f"sunset {tag.sunset} has passed ({_ago((ctx.today - sunset).days)})",
                        ("deprecation", "sunset"),
                        hint=f"tagctl retire {tag.name}",
                    ),
                )


def _ago(days: int) -> str:
    return "1 day ago" if days == 1 else f"{days} days ago"
