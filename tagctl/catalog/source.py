"""One YAML file as read: its text, its data, and the facts found on the way.

The model and its limits only, so that any module can use them without
loading a parser: `reader` reads and parses a file into a `Source`, and the
TG0xx rules turn the facts it gathers (decode error, syntax error, duplicate
keys, a BOM, a document that is too large) into violations.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MAX_FILE_BYTES = 16 * 1024 * 1024
MAX_NODES = 100_000
MAX_DEPTH = 64

JsonPath = tuple[str | int, ...]

# Text a person has yet to replace: TG504's default words, the first the one
# `tagctl new` and the fixes write.
PLACEHOLDER_WORDS = ("TODO", "TBD", "FIXME", "XXX")


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
    stat: tuple[int, int, int] | None = None  # (mtime in ns, size, inode) as opened, when read

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
