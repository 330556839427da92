"""Finding tag files under the catalog's tags folder.

Symbolic links are followed, but a folder link that leads back to a folder
already being walked is reported as an entry of its own (lint shows it as
unreadable) instead of being walked forever. Hidden files and folders are
skipped.
"""

from __future__ import annotations

import os
from pathlib import Path

SUFFIXES = (".yaml", ".yml")


def discover(tags_dir: Path) -> list[Path]:
    """Every tag file below `tags_dir`, sorted; looping links included as-is."""
    found: list[Path] = []
    if tags_dir.is_dir():
        _walk(tags_dir, {os.path.realpath(tags_dir)}, found)
    return sorted(found)


def _walk(directory: Path, ancestors: set[str], found: list[Path]) -> None:
    try:
        entries = list(os.scandir(directory))
    except OSError:
        found.append(directory)
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = Path(entry.path)
        if _is_dir(entry):
            real = os.path.realpath(entry.path)
            if real in ancestors:
                found.append(path)  # a link back up: reported, not walked
            else:
                _walk(path, ancestors | {real}, found)
        elif entry.name.endswith(SUFFIXES):
            found.append(path)


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False
