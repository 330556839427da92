"""How the catalog changed since a git ref: tags added, removed, renamed and changed.

Tags are matched by name, so a tag whose file moved to another category
folder is the same tag. A new tag whose `renamed_from` names a tag that is
gone is that tag renamed. Every change says whether it is breaking, which
version bump it requires and which bump it got (see `versioning` and
`fields` for the rules).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from tagctl.catalog.config import Config
from tagctl.catalog.versioning import (
    UNRELEASED,
    Bump,
    actual_bump,
    highest,
    rank,
    satisfies,
    transition_allowed,
)
from tagctl.changes.fields import FieldChange, compare
from tagctl.changes.snapshot import Snapshots, TagRecord, Unreadable, snapshots

Kind = Literal["added", "removed", "renamed", "changed"]


@dataclass(frozen=True)
class TagChange:
    """One tag's change between the ref (`base`) and the working tree (`current`)."""

    kind: Kind
    base: TagRecord | None
    current: TagRecord | None
    fields: tuple[FieldChange, ...] = ()

    @property
    def name(self) -> str:
        record = self.current or self.base
        assert record is not None
        return record.name

    @property
    def previous_name(self) -> str | None:
        return self.base.name if self.kind == "renamed" and self.base else None

    @property
    def rel(self) -> str:
        """The file reported on: the current one, or the removed one."""
        record = self.current or self.base
        assert record is not None
        return record.rel

    @property
    def reasons(self) -> tuple[str, ...]:
        """Why the change is breaking; empty when it is not."""
        found = []
        if self.kind == "removed" and self.base and not _may_vanish(self.base):
            found.append(f"removed while {self.base.text('status') or 'in use'}")
        if self.kind == "renamed" and self.base:
            found.append(f"renamed from {self.base.name}")
        found += [f"{change.field} {change.detail}" for change in self.fields if change.breaking]
        return tuple(found)

    @property
    def breaking(self) -> bool:
        return bool(self.reasons)

    @property
    def required(self) -> Bump:
        """The version bump the change needs (none for added and removed tags)."""
        if self.kind in ("added", "removed"):
            return "major" if self.breaking else "none"
        if self.breaking:
            return "major"
        return highest([change.level for change in self.fields])

    @property
    def versions(self) -> tuple[str, str]:
        return (
            self.base.text("version") if self.base else "",
            self.current.text("version") if self.current else "",
        )

    @property
    def bump(self) -> Bump | Literal["down"] | None:
        """The bump the tag got; None when it has no two readable versions."""
        if self.base is None or self.current is None:
            return None
        return actual_bump(*self.versions)

    @property
    def bump_ok(self) -> bool:
        if self.base is None or self.current is None:
            return True
        return satisfies(self.bump, self.required, self.versions[0])

    @property
    def statuses(self) -> tuple[str, str]:
        return (
            self.base.text("status") if self.base else "",
            self.current.text("status") if self.current else "",
        )

    @property
    def transition_ok(self) -> bool:
        before, after = self.statuses
        return not (before and after) or transition_allowed(before, after)


@dataclass
class CatalogDiff:
    """Every change since `ref` (resolved to `commit`), sorted by tag name."""

    ref: str
    commit: str
    changes: list[TagChange] = field(default_factory=list)
    unreadable: list[Unreadable] = field(default_factory=list)

    def count(self, kind: Kind) -> int:
        return sum(1 for change in self.changes if change.kind == kind)

    @property
    def breaking(self) -> list[TagChange]:
        return [change for change in self.changes if change.breaking]

    @property
    def required(self) -> Bump:
        """The bump the catalog as a whole needs: the largest of its tags'."""
        return highest([change.required for change in self.changes])

    def by_file(self) -> Mapping[str, list[TagChange]]:
        found: dict[str, list[TagChange]] = {}
        for change in self.changes:
            found.setdefault(change.rel, []).append(change)
        return found


def diff_against(config: Config, ref: str) -> CatalogDiff:
    """The catalog of `config` in the working tree compared with the one at git `ref`."""
    return diff_snapshots(snapshots(config, ref))


def diff_snapshots(sides: Snapshots) -> CatalogDiff:
    result = CatalogDiff(sides.ref, sides.commit, unreadable=list(sides.unreadable))
    # A file that no longer parses is lint's problem, not a removal.
    broken = {item.rel for item in sides.unreadable if item.side == "current"}
    gone = {
        name: record
        for name, record in sides.base.items()
        if name not in sides.current and record.rel not in broken
    }
    for name, current in sides.current.items():
        base = sides.base.get(name)
        source = current.text("renamed_from")
        if base is None and source in gone:
            base = gone.pop(source)
            result.changes.append(_changed("renamed", base, current))
        elif base is None:
            result.changes.append(TagChange("added", None, current))
        else:
            change = _changed("changed", base, current)
            if change.fields:
                result.changes.append(change)
    result.changes += [TagChange("removed", record, None) for record in gone.values()]
    result.changes.sort(key=lambda change: (change.name, rank(change.required)))
    return result


def _changed(kind: Kind, base: TagRecord, current: TagRecord) -> TagChange:
    return TagChange(kind, base, current, tuple(compare(base.data, current.data)))


def _may_vanish(record: TagRecord) -> bool:
    """A tag may leave the catalog once deprecated, or if it was never released."""
    status = record.text("status")
    return status in ("deprecated", "retired") or status in UNRELEASED
