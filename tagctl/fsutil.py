"""Writing files atomically: a temporary file in the same folder, then rename."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

from tagctl.errors import RuntimeFailure


@contextmanager
def atomic_writer(path: Path, newline: str | None = None) -> Iterator[TextIO]:
    """Yield a text stream; on success it replaces `path`, on failure nothing changes."""
    folder = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise RuntimeFailure(f"cannot write here: {exc.strerror}", path=path) from exc
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline=newline) as stream:
            yield stream
        _keep_mode(path, tmp)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise RuntimeFailure(f"cannot write: {exc.strerror or exc}", path=path) from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _keep_mode(path: Path, tmp: str) -> None:
    try:
        os.chmod(tmp, os.stat(path).st_mode & 0o7777)
    except FileNotFoundError:
        os.chmod(tmp, 0o644)


def state_dir(root: Path) -> Path:
    """`<catalog>/.tagctl`, tagctl's local state: caches and history."""
    return root / ".tagctl"


def read_state_json(path: Path) -> Any:
    """A JSON state file, or None when it is missing or unreadable."""
    try:
        with path.open(encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, ValueError):
        return None


def write_state_json(path: Path, document: Any) -> None:
    """Write a cache file atomically; a read-only catalog just goes uncached."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        ignore_state(path.parent)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        text = json.dumps(document, separators=(",", ":"), ensure_ascii=False)  # C encoder
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except OSError:
        return


def append_state_line(path: Path, document: Any) -> None:
    """Append one JSON line to a state journal; failures only cost speed."""
    try:
        with path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(document, separators=(",", ":"), ensure_ascii=False) + "\n")
    except OSError:
        return


def ignore_state(folder: Path) -> None:
    """Keep `.tagctl/` out of version control without touching the user's .gitignore."""
    while folder.name != ".tagctl" and folder != folder.parent:
        folder = folder.parent
    marker = folder / ".gitignore"
    if folder.name == ".tagctl" and not marker.exists():
        marker.write_text("# tagctl's local state: caches and history\n*\n", encoding="utf-8")
