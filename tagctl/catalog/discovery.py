"""Finding tag files under the catalog's tags folder, never leaving the catalog.

Symbolic links are followed while they stay inside the catalog root. A link
whose real target leaves it (`ln -s /etc/shadow tags/x.yaml`, a folder link
to `/`) is set aside as `outside`: lint reports it (TG011) and nothing ever
opens it, so a pull request cannot make lint print a file of the machine
that checks it. A folder link that leads back to a folder already being
walked is reported as an entry of its own (lint shows it as unreadable)
instead of being walked forever, and so is a folder named like a tag file
(`gender.yaml/`). Hidden files and folders are skipped.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

SUFFIXES = (".yaml", ".yml")


@dataclass
class Found:
    """What a walk found: tag files to read, and links that leave the catalog."""

    files: list[str] = field(default_factory=list)  # includes entries lint reports unreadable
    outside: list[str] = field(default_factory=list)  # never to be opened


def discover(tags_dir: Path | str, root: Path | str) -> list[str]:
    """Every tag file below `tags_dir` inside catalog `root`, as absolute paths, sorted."""
    return find_tag_files(tags_dir, root).files


def find_tag_files(tags_dir: Path | str, root: Path | str) -> Found:
    """The tag files below `tags_dir` and the links there that leave `root`, sorted."""
    top = os.path.abspath(tags_dir)
    found = Found()
    real_root = os.path.realpath(root)
    if link_leaves(top, root):
        found.outside.append(top)
    elif os.path.isdir(top):
        real = os.path.realpath(top)
        ancestors = {real}
        while os.path.dirname(real) != real:  # a link to any folder above is a loop too
            real = os.path.dirname(real)
            ancestors.add(real)
        _walk(top, real_root, ancestors, found)
    found.files.sort()
    found.outside.sort()
    return found


def within(real: str, real_root: str) -> bool:
    """True when the real path `real` is `real_root` or below it."""
    return real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)


def link_leaves(path: Path | str, *roots: Path | str) -> bool:
    """True when a symbolic link on the way to `path` leads out of every one of `roots`.

    A path that involves no link is never said to leave: it is where it says.
    """
    real = os.path.realpath(path)
    if real == os.path.abspath(path):
        return False
    return not any(within(real, os.path.realpath(root)) for root in roots)


def confinement(path: Path | str, root: Path | str) -> str | None:
    """What a path named on the command line must stay inside once its links are followed.

    The catalog root for a path in the catalog; else the current folder (the
    repository, in CI and pre-commit) for a path below it; else nothing: an
    absolute path elsewhere is the caller's explicit choice.
    """
    given = os.path.abspath(path)
    for candidate in (os.path.abspath(root), os.getcwd()):
        if within(given, candidate) or within(given, os.path.realpath(candidate)):
            return candidate
    return None


def _walk(directory: str, real_root: str, ancestors: set[str], found: Found) -> None:
    try:
        entries = list(os.scandir(directory))
    except OSError:
        found.files.append(directory)
        return
    for entry in entries:
        name = entry.name
        if name.startswith("."):
            continue
        tag_like = name.endswith(SUFFIXES)
        if _is_link(entry) and not within(os.path.realpath(entry.path), real_root):
            if tag_like or _is_dir(entry):
                found.outside.append(entry.path)
        elif tag_like:
            found.files.append(entry.path)  # a folder, broken link or FIFO: reported unreadable
        elif _is_dir(entry):
            real = os.path.realpath(entry.path)
            if real in ancestors:
                found.files.append(entry.path)  # a link back up: reported, not walked
            else:
                _walk(entry.path, real_root, ancestors | {real}, found)


def _is_link(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_symlink()
    except OSError:
        return False


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False
