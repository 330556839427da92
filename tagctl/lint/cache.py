"""Per-file lint results, keyed by the file's content hash.

Stored in `<catalog>/.tagctl/cache/lint.json`. The whole cache is dropped
when tagctl's version or code, the merged configuration or the schema
changes; an entry is used only when the file's bytes hash to the same
digest. Cross-file rules are never cached: they run on every lint from the
cached per-file summaries. A cache that cannot be read or written is
ignored: it can only make lint faster, never change its answer.

Reading and hashing every file is most of a warm run, so, as git does, a
file whose size, inode and modification time are those recorded with its
digest is taken as unchanged without being read, provided it was modified
well before the cache was written (a file changed in the same moment as the
cache is always hashed again).
"""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path
from typing import Any

import tagctl
from tagctl.fsutil import read_state_json, write_state_json
from tagctl.lint.context import TagSummary
from tagctl.schemas import schema_dir

SUMMARY_FIELDS = len(TagSummary._fields)
Entry = list[Any]  # [digest, findings, summary, suppressions, positions, stat]
FORMAT = 2
RACY_NS = 2_000_000_000


def digest(raw: bytes) -> str:
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


def cache_key(config_fingerprint: str, rules_signature: str) -> str:
    package = os.path.dirname(tagctl.__file__)
    stamps = sorted(
        f"{entry.path}:{entry.stat().st_mtime_ns}:{entry.stat().st_size}"
        for folder, _, _ in os.walk(package)
        for entry in os.scandir(folder)
        if entry.name.endswith(".py")
    )
    schema = schema_dir() / "tag.schema.json"
    parts = [str(FORMAT), tagctl.__version__, config_fingerprint, rules_signature, *stamps]
    parts.append(schema.read_text(encoding="utf-8"))
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


class LintCache:
    def __init__(self, path: Path | None, key: str) -> None:
        self.path = path
        self.key = key
        self.entries: dict[str, Entry] = {}
        self.written_ns = 0
        self.dirty = False
        if path is not None:
            self._load(path)

    def _load(self, path: Path) -> None:
        stored = read_state_json(path)
        if isinstance(stored, dict) and stored.get("key") == self.key:
            files, written = stored.get("files"), stored.get("written_ns")
            if isinstance(files, dict) and isinstance(written, int):
                self.entries = {rel: e for rel, e in files.items() if _well_formed(e)}
                self.written_ns = written

    def get(self, rel: str, file_digest: str) -> Entry | None:
        entry = self.entries.get(rel)
        return entry if entry is not None and entry[0] == file_digest else None

    def unchanged(self, rel: str, stat: list[int]) -> Entry | None:
        """The entry of a file whose stat proves it unchanged, without reading it."""
        entry = self.entries.get(rel)
        if entry is None or len(entry) < 6 or entry[5] != stat:
            return None
        return entry if stat[0] < self.written_ns - RACY_NS else None

    def restat(self, rel: str, stat: list[int] | None) -> None:
        entry = self.entries.get(rel)
        if entry is not None and stat is not None and entry[5:] != [stat]:
            del entry[5:]
            entry.append(stat)
            self.dirty = True

    def put(self, rel: str, entry: Entry) -> None:
        self.entries[rel] = entry
        self.dirty = True

    def prune(self, keep: set[str]) -> None:
        for rel in set(self.entries) - keep:
            del self.entries[rel]
            self.dirty = True

    def save(self) -> None:
        if self.path is not None and self.dirty:
            document = {"key": self.key, "written_ns": time.time_ns(), "files": self.entries}
            write_state_json(self.path, document)


def stat_of(path: str) -> list[int] | None:
    """[mtime_ns, size, inode] of `path`, or None when it cannot be stat'ed."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return [info.st_mtime_ns, info.st_size, info.st_ino]


def _well_formed(entry: Any) -> bool:
    """A cache written by hand or by another version must not break lint."""
    return (
        isinstance(entry, list)
        and len(entry) in (5, 6)
        and isinstance(entry[0], str)
        and isinstance(entry[1], list)
        and all(isinstance(f, list) and len(f) == 6 for f in entry[1])
        and (entry[2] is None or (isinstance(entry[2], list) and len(entry[2]) == SUMMARY_FIELDS))
        and isinstance(entry[3], list)
        and all(isinstance(s, list) and len(s) == 2 for s in entry[3])
        and isinstance(entry[4], dict)
        and (len(entry) == 5 or (isinstance(entry[5], list) and len(entry[5]) == 3))
    )
