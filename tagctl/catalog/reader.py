"""Reading one YAML file into plain Python data, fast, and noting what went wrong.

Parsing is done by `yamlload` (yaml-rs, or libyaml through `libyaml` where
yaml-rs might read the text otherwise; YAML 1.2 core scalars), imported only
when a file has to be parsed. A problem's line and column come from libyaml's
node marks (see `positions`); ruamel.yaml, which keeps comments, is used only
where a file is edited.

The reader gathers facts (decode error, syntax error, duplicate keys, a BOM,
a document that is too large) on a `Source`; the TG0xx rules turn those facts
into violations.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from tagctl.catalog.source import MAX_FILE_BYTES, Mark, Source


def read_source(path: Path) -> Source:
    """Read and parse `path`; never raises for a bad file, only records why."""
    source = Source(path)
    try:
        # Non-blocking, so that a FIFO where a tag file should be cannot hang lint.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as exc:
        reason = _not_regular(path) if os.path.islink(path) else exc.strerror
        source.unreadable = Mark(reason or str(exc))
        return source
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        source.unreadable = Mark(_not_regular(path))
        return source
    source.stat = (info.st_mtime_ns, info.st_size, info.st_ino)
    with os.fdopen(fd, "rb") as handle:
        if info.st_size > MAX_FILE_BYTES:
            source.too_complex = _too_large(info.st_size)
            return source
        try:
            source.raw = handle.read()
        except OSError as exc:
            source.unreadable = Mark(exc.strerror or str(exc))
            return source
    parse_into(source)
    return source


def parse_into(source: Source) -> None:
    """Decode `source.raw` and parse it, recording every problem on `source`."""
    # lazy: a warm lint never parses YAML (yaml-rs, and PyYAML's ~25 ms)
    from tagctl.catalog.yamlload import parse

    if len(source.raw) > MAX_FILE_BYTES:
        source.too_complex = _too_large(len(source.raw))
        return
    parse(source)


def _too_large(size: int) -> Mark:
    return Mark(f"file is {size / 1024 / 1024:.1f} MiB, the limit is {MAX_FILE_BYTES >> 20} MiB")


def read_regular(path: str) -> bytes | None:
    """The bytes of a regular file; None for anything else, without ever blocking."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        chunks = []
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError:
        return None
    finally:
        os.close(fd)


def _not_regular(path: Path) -> str:
    if path.is_symlink() and not path.exists():
        return "a broken or looping symbolic link"
    if not path.exists():
        return "no such file"
    if path.is_dir():
        if path.is_symlink() and not path.name.endswith((".yaml", ".yml")):
            return "a symbolic link back to a folder above it (a loop)"  # see discovery
        return "a folder, not a file"
    return "not a regular file"
