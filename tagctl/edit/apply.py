"""Validating planned edits, showing them as a diff, and writing them atomically.

Before anything is written, each new text goes through the lint engine's
file rules (the JSON Schema of schemas/tag.schema.json included): an edit
must not bring an error-level finding that the file did not have before.
Files are then written one by one, each through a temporary file in its own
folder, synced to disk, and a rename, keeping the file's mode (a symbolic
link stays a link to the edited file); a file that changed on disk since it
was read is not overwritten.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
from collections.abc import Sequence
from pathlib import Path

from tagctl.catalog.config import Config
from tagctl.catalog.schema import Checker
from tagctl.edit.plan import FileEdit, Refused
from tagctl.errors import RuntimeFailure
from tagctl.fsutil import atomic_writer
from tagctl.lint.context import LintContext
from tagctl.lint.settings import active_rules
from tagctl.lint.suppress import find_suppressions, is_suppressed
from tagctl.lint.worker import Worker

Finding = tuple[str, str, str, int, int, str]  # as the lint worker returns them


def validate(config: Config, edits: Sequence[FileEdit], today: dt.date) -> None:
    """Refuse (exit 1) when any edit brings a new error-level lint finding."""
    rules = active_rules(config)
    errors = {active.code for active in rules if active.severity == "error"}
    worker = Worker(LintContext(config, today), rules, Checker("tag"))
    problems: list[str] = []
    for edit in edits:
        rel = _rel(config, edit.path)
        old = {_identity(f) for f in _findings(worker, edit.path, rel, edit.before)}
        suppressed = find_suppressions(edit.after)
        for finding in _findings(worker, edit.path, rel, edit.after):
            code, message, _, line, column, _ = finding
            new = code in errors and _identity(finding) not in old
            if new and not is_suppressed(suppressed, line, code):
                problems.append(f"{rel}:{line}:{column}: {message} ({code})")
    if problems:
        raise Refused("the edited file would not pass lint: " + "; ".join(problems))


def _findings(worker: Worker, path: Path, rel: str, text: str) -> list[Finding]:
    _, entry = worker.check(path, rel, text.encode("utf-8"))
    return [(str(c), str(m), str(h), int(ln), int(col), str(p)) for c, m, h, ln, col, p in entry[1]]


def _identity(finding: Finding) -> tuple[str, str, str]:
    code, message, _, _, _, json_path = finding
    return code, message, json_path


def _rel(config: Config, path: Path) -> str:
    try:
        return path.relative_to(config.root).as_posix()
    except ValueError:
        return path.as_posix()


def write(edits: Sequence[FileEdit]) -> None:
    """Write each changed file atomically; refuse a file that changed since it was read."""
    for edit in edits:
        if not edit.changed:
            continue
        try:
            current = edit.path.read_bytes()
        except OSError as error:
            raise RuntimeFailure(f"cannot read: {error.strerror}", path=edit.path) from error
        if current != edit.before.encode("utf-8"):
            raise RuntimeFailure("changed on disk while being edited; run again", path=edit.path)
        with atomic_writer(edit.path, newline="", durable=True) as stream:
            stream.write(edit.after)


def unified_diff(edit: FileEdit, cwd: Path | None = None) -> str:
    """The edit as a unified diff with a/ and b/ paths relative to `cwd`, as git shows them."""
    name = _shown(edit.path, cwd or Path.cwd())
    lines = difflib.unified_diff(_lines(edit.before), _lines(edit.after), f"a/{name}", f"b/{name}")
    return "".join(lines)


def _lines(text: str) -> list[str]:
    """Lines split at line feeds only, as diff and git split them."""
    parts = text.split("\n")
    lines = [part + "\n" for part in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1] + "\n\\ No newline at end of file\n")
    return lines


def _shown(path: Path, cwd: Path) -> str:
    try:
        return Path(os.path.relpath(path.absolute(), cwd.absolute())).as_posix()
    except ValueError:
        return path.as_posix()
