"""Reading one YAML file into plain Python data, fast, and noting what went wrong.

Parsing is done by `yamlload` (libyaml, YAML 1.2 core scalars). ruamel.yaml,
which keeps comments and positions, is used only where a file is edited or a
problem has to be located (see `positions`).

The loader gathers facts (decode error, syntax error, duplicate keys, a BOM,
a document that is too large) on a `Source`; the TG0xx rules turn those facts
into violations.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MAX_FILE_BYTES = 16 * 1024 * 1024
MAX_NODES = 100_000
MAX_DEPTH = 64

JsonPath = tuple[str | int, ...]


def dotted(path: JsonPath) -> str:
    """A JSON path as text: `owners.data`, `depends_on[2]`."""
    text = ""
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return text


@dataclass(frozen=True)
class Mark:
    """A 1-based position with the reason it is interesting."""

    message: str
    line: int = 1
    column: int = 1


@dataclass(frozen=True)
class DuplicateKey:
    key: str
    line: int
    column: int


@dataclass
class Source:
    """One file as read: its text, its data, and the facts found on the way."""

    path: Path
    raw: bytes = b""
    text: str = ""
    data: Any = None
    outside: Mark | None = None  # a link out of the catalog: never opened
    unreadable: Mark | None = None
    not_utf8: Mark | None = None
    syntax_error: Mark | None = None
    not_mapping: Mark | None = None
    too_complex: Mark | None = None
    bom: bool = False
    duplicates: list[DuplicateKey] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when `data` is a mapping the rules can read."""
        return isinstance(self.data, dict) and self.too_complex is None

    @property
    def problem(self) -> Mark | None:
        """The first reason the file is no readable mapping (a config file or a review sheet)."""
        return (
            self.unreadable
            or self.not_utf8
            or self.syntax_error
            or self.not_mapping
            or self.too_complex
        )


def outside_source(path: Path) -> Source:
    """The Source of a symbolic link whose target leaves the catalog, without opening it."""
    kind = "folder" if os.path.isdir(path) else "file"
    return Source(path, outside=Mark(f"a symbolic link to a {kind} outside the catalog"))


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
