"""What a rule's `fix()` returns and may read.

A fix is declarative: a note, and edit operations on one file (set a
value, add a changelog entry, put the keys in order, rename the file) that
`tagctl.edit.fixes` carries out on the text, keeping every byte it does not
own. A rule never edits text itself, so the rules need nothing of the
editor, and one place decides how each operation is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class SetValue:
    """Set the scalar at `path` (a top-level key, or a key of a nested mapping) to `value`."""

    path: tuple[str, ...]
    value: str


@dataclass(frozen=True)
class AddChangelog:
    """Add a changelog entry for `version`, dated `date`, written like the entries around it."""

    version: str
    change: str
    date: dt.date


@dataclass(frozen=True)
class Reorder:
    """Move whole top-level entries into `order` (keys it does not name go last, as they are)."""

    order: tuple[str, ...]


@dataclass(frozen=True)
class RenameFile:
    """Rename the file to `name`, in its own folder."""

    name: str


EditOperation = SetValue | AddChangelog | Reorder | RenameFile


@dataclass(frozen=True)
class Fix:
    """A repair of one file: edit operations, carried out in order, and what they do.

    `note` says what was done, in one line. `allow` names the rules whose new
    findings the repair brings on purpose (a placeholder left for a person to
    fill in), so that re-validation does not refuse it for them.
    """

    note: str
    edits: tuple[EditOperation, ...]
    allow: tuple[str, ...] = ()


@dataclass(frozen=True)
class NoFix:
    """Why a fixable problem is left alone: the repair would be a guess."""

    reason: str


def canonical_order(keys: Sequence[str], order: Sequence[str]) -> list[str]:
    """`keys` sorted by their place in `order`; other keys after, as they were."""
    rank = {key: index for index, key in enumerate(order)}
    return sorted(keys, key=lambda key: rank.get(key, len(order)))
