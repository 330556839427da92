"""`tagctl list`: the tags that pass every filter given, in name order.

Filters combine with AND. Category, status and type must be known values
(a typo is a usage error with a suggestion, not an empty list); the owner
filter matches the business, data or creator owner, case-insensitively, as
a substring, so `li.na` finds `li.na@example.com`.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from tagctl.catalog.tags import Tag
from tagctl.explore.lookup import suggest

STATUSES = ("draft", "development", "testing", "online", "deprecated", "retired")
TYPES = ("fact", "rule", "model", "strategy")
VALUE_TYPES = ("boolean", "enum", "integer", "number", "string", "date")


@dataclass(frozen=True)
class Filters:
    category: str | None = None
    status: str | None = None
    owner: str | None = None
    type: str | None = None

    def check(self, categories: Collection[str]) -> None:
        """Unknown category, status or type: a usage error."""
        for value, known, what in (
            (self.category, categories, "category"),
            (self.status, STATUSES, "status"),
            (self.type, TYPES, "tag type"),
        ):
            if value is not None and value not in known:
                raise suggest(value, known, what)

    def admits(self, tag: Tag) -> bool:
        if self.category is not None and tag.category != self.category:
            return False
        if self.status is not None and tag.status != self.status:
            return False
        if self.type is not None and tag.type != self.type:
            return False
        return self.owner is None or _owned_by(tag, self.owner)


def select(tags: Sequence[Tag], filters: Filters) -> list[Tag]:
    return [tag for tag in tags if filters.admits(tag)]


def _owned_by(tag: Tag, owner: str) -> bool:
    wanted = owner.casefold()
    return any(
        wanted in who.casefold() for who in (tag.business_owner, tag.data_owner, tag.creator)
    )
