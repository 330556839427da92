"""Carrying out a rule's fix: its edit operations, applied to the text of one file.

Rules describe a repair (`tagctl.rulekit.Fix`); this is the one place that
writes it, with the in-place editor, so that a fix keeps every byte it does
not own, as `deprecate` does. An operation the editor cannot carry out
safely becomes the reason the problem is left alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from tagctl.edit.nodes import EditError
from tagctl.edit.ops import set_value
from tagctl.edit.reorder import ReorderError, reorder
from tagctl.edit.tagtext import add_changelog
from tagctl.rulekit import AddChangelog, EditOperation, Fix, NoFix, RenameFile, Reorder, SetValue


@dataclass(frozen=True)
class Applied:
    """The text after a fix, and the file's new name when the fix renames it."""

    text: str
    rename: str | None = None


def apply_fix(text: str, fix: Fix) -> Applied | NoFix:
    """`text` with the operations of `fix` carried out in order, or why they cannot be."""
    rename = None
    try:
        for operation in fix.edits:
            if isinstance(operation, RenameFile):
                rename = operation.name
            else:
                text = _edited(text, operation)
    except EditError as error:
        return NoFix(error.message)
    except ReorderError as error:
        return NoFix(str(error))
    return Applied(text, rename)


def _edited(text: str, operation: EditOperation) -> str:
    if isinstance(operation, SetValue):
        return set_value(text, operation.path, operation.value)
    if isinstance(operation, AddChangelog):
        return add_changelog(text, operation.version, operation.change, operation.date)
    if isinstance(operation, Reorder):
        return reorder(text, operation.order)
    raise TypeError(f"not a text edit: {operation!r}")
