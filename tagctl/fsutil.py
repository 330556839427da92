"""Writing files atomically: a temporary file in the same folder, then rename."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

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
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _keep_mode(path: Path, tmp: str) -> None:
    try:
        os.chmod(tmp, os.stat(path).st_mode & 0o7777)
    except FileNotFoundError:
        os.chmod(tmp, 0o644)
