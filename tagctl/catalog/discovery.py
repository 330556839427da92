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


def discover(tags_dir: Path | str) -> list[str]:
    """Every tag file below `tags_dir` as an absolute path, sorted; looping links included."""
    top = os.path.abspath(tags_dir)
    found: list[str] = []
    if os.path.isdir(top):
        real = os.path.realpath(top)
        ancestors = {real}
        while os.path.dirname(real) != real:  # a link to any folder above is a loop too
            real = os.path.dirname(real)
            ancestors.add(real)
        _walk(top, ancestors, found)
    return sorted(found)


def _walk(directory: str, ancestors: set[str], found: list[str]) -> None:
    try:
        entries = list(os.scandir(directory))
    except OSError:
        found.append(directory)
        return
    for entry in entries:
        name = entry.name
        if name.startswith("."):
            continue
        if name.endswith(SUFFIXES) and _is_file(entry):
            found.append(entry.path)
        elif _is_dir(entry):
            real = os.path.realpath(entry.path)
            if real in ancestors:
                found.append(entry.path)  # a link back up: reported, not walked
            else:
                _walk(entry.path, ancestors | {real}, found)
        elif name.endswith(SUFFIXES):
            found.append(entry.path)  # broken or looping link, FIFO...: reported as unreadable


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _is_file(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_file()
    except OSError:
        return False
