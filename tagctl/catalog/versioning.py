"""Version bumps and lifecycle transitions: the rules a change of a tag must follow.

A tag's `version` is semantic: a breaking change needs a new major version,
another change of the definition a new minor one, a change of metadata only
(description, owners, display names) a new patch. Below 1.0.0 a tag is not
yet stable and a minor bump is enough for a breaking change (semver item 4).

The lifecycle is draft -> development -> testing -> online -> deprecated ->
retired, one step at a time, with a few steps back: see `ALLOWED`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Literal

Bump = Literal["none", "patch", "minor", "major"]
BUMPS: tuple[Bump, ...] = ("none", "patch", "minor", "major")

_SEMVER = re.compile(r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(?:-([0-9A-Za-z.-]+))?")

# Status at the ref -> statuses the working tree may have (besides the same one).
ALLOWED: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "draft": frozenset({"development"}),
        "development": frozenset({"draft", "testing"}),
        "testing": frozenset({"development", "online"}),
        "online": frozenset({"deprecated"}),
        "deprecated": frozenset({"online", "retired"}),
        "retired": frozenset(),
    }
)
# Statuses whose tags nobody may use yet: they can be deleted outright.
UNRELEASED = frozenset({"draft", "development", "testing"})
ENDED = frozenset({"deprecated", "retired"})


def rank(bump: Bump) -> int:
    return BUMPS.index(bump)


def highest(bumps: list[Bump]) -> Bump:
    return max(bumps, key=rank, default="none")


def parse(version: str) -> tuple[int, int, int, tuple[tuple[int, int | str], ...]] | None:
    """(major, minor, patch, pre-release key) or None when not a version."""
    match = _SEMVER.fullmatch(version.split("+", 1)[0])
    if not match:
        return None
    major, minor, patch, pre = match.groups()
    # A release sorts after its pre-releases; numeric identifiers before alphanumeric ones.
    key = tuple((0, int(p)) if p.isdigit() else (1, p) for p in pre.split(".")) if pre else ()
    return int(major), int(minor), int(patch), key or ((2, 0),)


def actual_bump(before: str, after: str) -> Bump | Literal["down"] | None:
    """The bump from `before` to `after`: a level, "down" when it went back, None if unreadable.

    A change of the pre-release part only (1.2.0-rc.1 -> 1.2.0) counts as a patch.
    """
    old, new = parse(before), parse(after)
    if old is None or new is None:
        return None
    if new < old:
        return "down"
    if new[0] > old[0]:
        return "major"
    if new[1] > old[1]:
        return "minor"
    return "patch" if new > old else "none"


def satisfies(bump: Bump | Literal["down"] | None, required: Bump, before: str) -> bool:
    """Whether `bump` is enough for a change that requires `required`."""
    if required == "none":
        return True
    if bump in (None, "down", "none"):
        return False
    assert bump is not None and bump != "down"
    old = parse(before)
    if required == "major" and old is not None and old[0] == 0:
        return rank(bump) >= rank("minor")
    return rank(bump) >= rank(required)


def transition_allowed(before: str, after: str) -> bool:
    """Whether a tag may go from status `before` to `after` in one change."""
    if before == after or before not in ALLOWED or after not in ALLOWED:
        return True  # an unknown status is a schema error (TG104), not a transition
    return after in ALLOWED[before]


def next_version(before: str, bump: Bump) -> str | None:
    """The smallest version after `before` with a `bump`; None when `before` is not one."""
    old = parse(before)
    if old is None or bump == "none":
        return None
    major, minor, patch = old[:3]
    if bump == "major" and major > 0:
        return f"{major + 1}.0.0"
    if bump in ("major", "minor"):
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"
