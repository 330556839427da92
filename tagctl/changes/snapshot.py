"""The tag files that differ between a git ref and the working tree, parsed.

A file whose bytes are the same at the ref and on disk cannot have changed,
so it is never parsed: git's object id of the working file is computed and
compared with the id in the ref's tree. Only the files that differ, appear
or disappear are parsed, on both sides, which keeps a comparison of a 10,000
tag catalog as fast as the number of files a change touches.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tagctl.catalog.config import Config
from tagctl.catalog.discovery import SUFFIXES, discover
from tagctl.catalog.reader import parse_into, read_regular
from tagctl.catalog.source import Source
from tagctl.git import Repository, blob_id


@dataclass(frozen=True)
class TagRecord:
    """One tag as read on one side: its name, its file and its data."""

    name: str
    rel: str  # relative to the catalog root, forward slashes
    data: Mapping[str, Any]

    def text(self, key: str) -> str:
        value = self.data.get(key)
        return value if isinstance(value, str) else ""


@dataclass(frozen=True)
class Unreadable:
    """A differing file that is not a readable tag; lint says why."""

    rel: str
    side: str  # "base" or "current"
    reason: str


@dataclass
class Snapshots:
    """The differing tags at the ref (`base`) and in the working tree (`current`), by name."""

    ref: str
    commit: str
    base: dict[str, TagRecord] = field(default_factory=dict)
    current: dict[str, TagRecord] = field(default_factory=dict)
    unreadable: list[Unreadable] = field(default_factory=list)


def snapshots(config: Config, ref: str) -> Snapshots:
    """Read what differs between `ref` and the working tree in the catalog's tags folder."""
    repo = Repository.find(config.root)
    commit = repo.resolve(ref)
    prefix = repo.relative(config.root)
    folder = repo.relative(config.tags_dir)
    base_files = {
        _from_top(repo, prefix, blob.path): blob.oid
        for blob in repo.blobs(commit, folder)
        if _is_tag_file(blob.path[len(folder) :] if folder else blob.path)
    }
    result = Snapshots(ref, commit)
    root = os.path.abspath(config.root)
    differing: dict[str, str] = {}
    for path in discover(config.tags_dir, config.root):
        rel = _rel(root, path)
        raw = read_regular(path)
        oid = base_files.pop(rel, None)
        if raw is not None and oid is not None and blob_id(raw, oid) == oid:
            continue
        if raw is not None:
            _add(result, result.current, rel, raw, "current")
        if oid is not None:
            differing[rel] = oid
    differing.update(base_files)  # what is left is gone from the working tree
    contents = repo.contents(differing.values())
    for rel, oid in sorted(differing.items()):
        _add(result, result.base, rel, contents.get(oid, b""), "base")
    return result


def _from_top(repo: Repository, prefix: str, path: str) -> str:
    if not prefix:
        return path
    if path.startswith(prefix + "/"):
        return path[len(prefix) + 1 :]
    return os.path.join(repo.top, path)


def _is_tag_file(path: str) -> bool:
    parts = path.strip("/").split("/")
    return path.endswith(SUFFIXES) and not any(part.startswith(".") for part in parts)


def _rel(root: str, path: str) -> str:
    """As the lint engine names files: relative to the catalog root, else absolute."""
    if path.startswith(root + os.sep):
        return path[len(root) + 1 :].replace(os.sep, "/")
    return path


def _add(result: Snapshots, into: dict[str, TagRecord], rel: str, raw: bytes, side: str) -> None:
    source = Source(Path(rel), raw=raw)
    parse_into(source)
    name = source.data.get("name") if source.ok else None
    if not isinstance(name, str) or not name:
        reason = "not a tag with a name" if source.ok else "not readable YAML"
        result.unreadable.append(Unreadable(rel, side, reason))
    elif name not in into:  # a duplicate name: the first file, as lint's index does
        into[name] = TagRecord(name, rel, source.data)
