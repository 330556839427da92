"""Committing edits: re-lint each new text, show it as a diff, write it atomically.

The one pipeline behind `deprecate`, `retire` and `lint --fix`. Before
anything is written, each new text goes through an injected checker (the
lint engine's file rules, the JSON Schema of schemas/tag.schema.json
included; see `tagctl.lint.recheck`): an edit must not bring an
error-level finding that the file did not have before. Files are then
written one by one, each through a temporary file in its own folder,
synced to disk, and a rename, keeping the file's mode (a symbolic link
stays a link to the edited file); a file that changed on disk since it was
read is not overwritten, and a file renamed by its edit never replaces
another file.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import Protocol

from tagctl.edit.plan import FileEdit, Refused
from tagctl.errors import RuntimeFailure
from tagctl.fsutil import atomic_writer, shown_path, sync_folder
from tagctl.rulekit import Finding


class Checker(Protocol):
    """Lints a file's text before and after an edit (`tagctl.lint.recheck.FileChecker`)."""

    def rel(self, path: Path) -> str: ...

    def new_errors(
        self,
        path: Path,
        before: str,
        after: str,
        new_path: Path | None = None,
        allow: Collection[str] = (),
    ) -> list[Finding]: ...


def new_errors(checker: Checker, edit: FileEdit) -> list[Finding]:
    """The error-level findings that `edit` brings, but for those it allows."""
    return checker.new_errors(edit.path, edit.before, edit.after, edit.new_path, edit.allow)


def validate(checker: Checker, edits: Sequence[FileEdit]) -> None:
    """Refuse (exit 1) when any edit brings a new error-level lint finding."""
    problems = [
        f"{checker.rel(edit.path)}:{line}:{column}: {message} ({code})"
        for edit in edits
        for code, message, _, line, column, _ in new_errors(checker, edit)
    ]
    if problems:
        raise Refused("the edited file would not pass lint: " + "; ".join(problems))


def write(edits: Sequence[FileEdit]) -> None:
    """Write each changed file atomically, then rename it when its edit says so.

    A file that changed on disk since it was read is refused.
    """
    for edit in edits:
        if edit.changed:
            _write(edit)
        if edit.renamed:
            _rename(edit.path, edit.target)


def _write(edit: FileEdit) -> None:
    try:
        current = edit.path.read_bytes()
    except OSError as error:
        raise RuntimeFailure(f"cannot read: {error.strerror}", path=edit.path) from error
    if current != edit.before.encode("utf-8"):
        raise RuntimeFailure("changed on disk while being edited; run again", path=edit.path)
    with atomic_writer(edit.path, newline="", durable=True) as stream:
        stream.write(edit.after)


def _rename(path: Path, target: Path) -> None:
    if os.path.lexists(target) and not _same(path, target):
        raise RuntimeFailure(f"not renamed: {target.name} exists already", path=path)
    try:
        os.replace(path, target)
    except OSError as error:
        raise RuntimeFailure(f"cannot rename: {error.strerror}", path=path) from error
    sync_folder(target.parent)


def _same(path: Path, other: Path) -> bool:
    try:
        return os.path.samefile(path, other)
    except OSError:
        return False


def unified_diff(edit: FileEdit, cwd: Path | None = None) -> str:
    """The edit as git shows it: a rename, then a unified diff with a/ and b/ paths.

    Paths are relative to `cwd` (the working folder by default).
    """
    cwd = cwd or Path.cwd()
    text = ""
    if edit.renamed:
        old, new = shown_path(edit.path, cwd), shown_path(edit.target, cwd)
        text = f"rename from {old}\nrename to {new}\n"
    if edit.changed:
        name = shown_path(edit.path, cwd)
        before, after = _lines(edit.before), _lines(edit.after)
        text += "".join(difflib.unified_diff(before, after, f"a/{name}", f"b/{name}"))
    return text


def _lines(text: str) -> list[str]:
    """Lines split at line feeds only, as diff and git split them."""
    parts = text.split("\n")
    lines = [part + "\n" for part in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1] + "\n\\ No newline at end of file\n")
    return lines
