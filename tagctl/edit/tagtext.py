"""Lifecycle edits of one tag file's text: deprecate, retire, bump, changelog.

Pure functions from text to text, built on `ops`; reading the catalog,
checking dependents and writing files is `plan`'s and `apply`'s work.

Versions: deprecating and retiring are lifecycle changes, not changes of
what the tag means, so each bumps the minor version (1.2.0 -> 1.3.0) and
adds a changelog entry for the new version: `Deprecated: <reason>`,
`Retired: sunset <date> passed`. Nothing breaks at either step that was not
announced: the deprecation announced the end, with a date, and the sunset
rule (TG403) reminded everyone when it came.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from tagctl.edit.nodes import EditError
from tagctl.edit.ops import get_value, insert_item, set_value

DEFAULT_SUNSET_DAYS = 90
_SEMVER = re.compile(
    r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(?:-[0-9A-Za-z.-]+)?(?:\+.*)?"
)


@dataclass(frozen=True)
class Deprecation:
    """What `tagctl deprecate` writes into a tag's `deprecation` block."""

    reason: str
    by: str
    replaced_by: str | None = None
    sunset: dt.date | None = None  # None: the tag's own sunset if it has one, else today + 90 days


@dataclass(frozen=True)
class TextEdit:
    """A tag file's new text; `version` is None when nothing had to change."""

    text: str
    version: str | None
    sunset: str = ""


def deprecate_text(text: str, deprecation: Deprecation, today: dt.date) -> TextEdit:
    """Status `deprecated`, the deprecation block, a minor bump and a changelog entry.

    A tag that is already deprecated keeps its `deprecated_at`,
    `deprecated_by`, `replaced_by` and sunset unless new ones are given; when
    nothing differs the text comes back unchanged.
    """
    already = get_value(text, ("status",)) == "deprecated"
    block = _fields(deprecation, get_value(text, ("deprecation",)) if already else None, today)
    new = set_value(text, ("status",), "deprecated")
    new = set_value(new, ("deprecation",), block, before=("changelog",))
    if new == text:
        return TextEdit(text, None, block["sunset"])
    change = ("Deprecation updated: " if already else "Deprecated: ") + deprecation.reason
    new, version = bump_with_entry(new, change, today)
    return TextEdit(new, version, block["sunset"])


def _fields(deprecation: Deprecation, old: Any, today: dt.date) -> dict[str, str]:
    kept = {key: str(value) for key, value in old.items() if value} if isinstance(old, dict) else {}
    fields = {"reason": deprecation.reason}
    replaced_by = deprecation.replaced_by or kept.get("replaced_by")
    if replaced_by:
        fields["replaced_by"] = replaced_by
    default_sunset = (today + dt.timedelta(days=DEFAULT_SUNSET_DAYS)).isoformat()
    fields["sunset"] = (
        deprecation.sunset.isoformat() if deprecation.sunset else kept.get("sunset", default_sunset)
    )
    fields["deprecated_at"] = kept.get("deprecated_at", today.isoformat())
    fields["deprecated_by"] = kept.get("deprecated_by", deprecation.by)
    return fields


def retire_text(text: str, today: dt.date) -> TextEdit:
    """Status `retired`, a minor bump and a changelog entry; unchanged when already retired."""
    sunset = str(get_value(text, ("deprecation", "sunset")) or "")
    new = set_value(text, ("status",), "retired")
    if new == text:
        return TextEdit(text, None, sunset)
    new, version = bump_with_entry(new, f"Retired: sunset {sunset} passed", today)
    return TextEdit(new, version, sunset)


def bump_with_entry(text: str, change: str, today: dt.date) -> tuple[str, str]:
    """Bump the minor version and log `change` under it; (new text, new version)."""
    version = bump_minor(str(get_value(text, ("version",)) or ""))
    text = set_value(text, ("version",), version)
    return add_changelog(text, version, change, today), version


def bump_minor(version: str) -> str:
    """1.2.3 -> 1.3.0 (a pre-release or build suffix is dropped)."""
    match = _SEMVER.fullmatch(version)
    if match is None:
        raise EditError(f"version '{version}' is not a semantic version like 1.2.0")
    return f"{match.group(1)}.{int(match.group(2)) + 1}.0"


def add_changelog(text: str, version: str, change: str, today: dt.date) -> str:
    """Add `{version, date, change}` to the changelog, in the order the file keeps.

    Appended, or put first when the changelog runs newest first; nothing is
    added when an entry for `version` is already there.
    """
    entries = get_value(text, ("changelog",))
    entries = entries if isinstance(entries, list) else []
    if any(isinstance(e, dict) and str(e.get("version")) == version for e in entries):
        return text
    entry = {"version": version, "date": today.isoformat(), "change": change}
    return insert_item(text, ("changelog",), entry, first=_newest_first(entries))


def _newest_first(entries: list[Any]) -> bool:
    versions = [_key(e.get("version")) for e in entries if isinstance(e, dict)]
    known = [v for v in versions if v is not None]
    return len(known) >= 2 and known[0] > known[-1]


def _key(version: object) -> tuple[int, int, int] | None:
    match = _SEMVER.fullmatch(str(version))
    return (int(match.group(1)), int(match.group(2)), int(match.group(3))) if match else None
