"""What a change of one field of a tag means for its users.

Each top-level field that differs between two versions of a tag is
classified: `major` (breaking: consumers of the tag may get different or no
values), `minor` (the definition changed compatibly), `patch` (metadata
only) or `none` (bookkeeping: the version and the changelog themselves).
Fields not listed count as `minor`, the safe side.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from tagctl.catalog.versioning import Bump

# Changing these breaks consumers whatever the values.
BREAKING_FIELDS = ("value_type", "window", "granularity")
METADATA_FIELDS = ("description", "display_name", "owners")
BOOKKEEPING_FIELDS = ("version", "changelog", "renamed_from", "name")


@dataclass(frozen=True)
class FieldChange:
    """One difference: the field, its level and what changed, in words."""

    field: str
    level: Bump
    detail: str

    @property
    def breaking(self) -> bool:
        return self.level == "major"


def compare(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[FieldChange]:
    """The differences between two versions of a tag's data, by field name."""
    changes: list[FieldChange] = []
    for key in sorted(set(before) | set(after), key=_order):
        old, new = before.get(key), after.get(key)
        if old != new:
            changes.extend(_field(key, old, new))
    return changes


def _order(key: str) -> tuple[int, str]:
    return (0 if key in BREAKING_FIELDS else 1, key)


def _field(key: str, old: Any, new: Any) -> Iterator[FieldChange]:
    if key in BOOKKEEPING_FIELDS:
        if key != "name":  # a rename is reported as such, not as a field
            yield FieldChange(key, "none", _was(old, new))
    elif key in BREAKING_FIELDS:
        yield FieldChange(key, "major", _was(old, new))
    elif key in METADATA_FIELDS:
        yield FieldChange(key, "patch", "changed")
    elif key == "values":
        yield from _values(old, new)
    elif key == "range":
        yield _range(old, new)
    else:
        yield FieldChange(key, "minor", _was(old, new) if _short(old, new) else "changed")


def _was(old: Any, new: Any) -> str:
    if old is None:
        return f"added: {_show(new)}"
    if new is None:
        return f"removed (was {_show(old)})"
    return f"{_show(old)} -> {_show(new)}"


def _short(old: Any, new: Any) -> bool:
    return all(value is None or isinstance(value, (str, int, float)) for value in (old, new)) and (
        len(_show(old)) + len(_show(new)) < 80
    )


def _show(value: Any) -> str:
    return "" if value is None else str(value)


def _values(old: Any, new: Any) -> Iterator[FieldChange]:
    before, after = _value_map(old), _value_map(new)
    removed = [value for value in before if value not in after]
    added = [value for value in after if value not in before]
    if removed:
        yield FieldChange("values", "major", f"removed: {', '.join(removed)}")
    if added:
        yield FieldChange("values", "minor", f"added: {', '.join(added)}")
    relabelled = [v for v in before if v in after and before[v] != after[v]]
    if relabelled:
        yield FieldChange("values", "patch", f"labels changed: {', '.join(relabelled)}")
    if not (removed or added or relabelled):
        yield FieldChange("values", "patch", "reordered")


def _value_map(items: Any) -> dict[str, Any]:
    """Allowed value (as text) -> the rest of its entry (labels, description)."""
    found: dict[str, Any] = {}
    for item in items if isinstance(items, list) else []:
        if isinstance(item, Mapping) and "value" in item:
            found[str(item["value"])] = {k: v for k, v in item.items() if k != "value"}
    return found


def _range(old: Any, new: Any) -> FieldChange:
    """Narrower bounds reject values that were valid: breaking. Wider ones are not."""
    before = old if isinstance(old, Mapping) else {}
    after = new if isinstance(new, Mapping) else {}
    narrower = _tighter(before.get("min"), after.get("min"), lower=True) or _tighter(
        before.get("max"), after.get("max"), lower=False
    )
    detail = f"{_bounds(before)} -> {_bounds(after)}"
    return FieldChange("range", "major" if narrower else "minor", detail)


def _tighter(old: Any, new: Any, *, lower: bool) -> bool:
    if new is None or isinstance(new, bool) or not isinstance(new, (int, float)):
        return False  # no bound now: nothing is rejected by it
    if old is None or isinstance(old, bool) or not isinstance(old, (int, float)):
        return True  # a bound where there was none
    return new > old if lower else new < old


def _bounds(value: Mapping[str, Any]) -> str:
    low, high = value.get("min"), value.get("max")
    return f"[{'' if low is None else low}, {'' if high is None else high}]"
