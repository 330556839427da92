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

import contextlib
import hashlib
import json
import os
from pathlib import Path
from typing import Any

import tagctl
from tagctl.catalog.schema import schema_dir
from tagctl.fsutil import append_state_line, read_state_json, write_state_json

Entry = list[Any]  # [digest, findings, summary, suppressions, positions, stat]
FORMAT = 4
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
    """The entries of `lint.json`, with the small changes of later runs in a journal.

    A run that checks a handful of files appends those entries to
    `lint.journal` instead of rewriting every entry; the journal is folded back
    into `lint.json` once it grows.
    """

    def __init__(self, path: Path | None, key: str) -> None:
        self.path = path
        self.key = key
        self.entries: dict[str, Entry] = {}
        self.changed: set[str] = set()
        self.removed: set[str] = set()
        self.journal_lines = 0
        self.loaded = False  # lint.json held entries for this key: a journal may extend it
        if path is not None:
            self._load(path)

    @property
    def journal(self) -> Path:
        assert self.path is not None
        return self.path.with_suffix(".journal")

    def _load(self, path: Path) -> None:
        stored = read_state_json(path)
        if not (isinstance(stored, dict) and stored.get("key") == self.key):
            return
        files = stored.get("files")
        if not isinstance(files, dict):
            return
        self.entries, self.loaded = files, True
        for change in _journal_lines(self.journal):
            if change.get("key") != self.key:
                continue
            self.entries.update(change.get("files") or {})
            for rel in change.get("removed") or ():
                self.entries.pop(rel, None)
            self.journal_lines += 1

    def get(self, rel: str, file_digest: str) -> Entry | None:
        entry = self.entries.get(rel)
        return entry if entry is not None and entry[0] == file_digest else None

    def unchanged(self, rel: str, stat: list[int]) -> Entry | None:
        """The entry of a file whose stat proves it unchanged, without reading it.

        Only trusted when the file was last modified well before the stat was
        recorded: a change in the same instant could leave the same stat.
        """
        entry = self.entries.get(rel)
        if entry is None or len(entry) < 6:
            return None
        if entry[5][:3] != stat[:3] or _racy(entry[5]):
            return None
        return entry

    def restat(self, rel: str, stat: list[int] | None) -> None:
        entry = self.entries.get(rel)
        if entry is None or stat is None:
            return
        if len(entry) < 6 or entry[5][:3] != stat[:3] or _racy(entry[5]):
            del entry[5:]
            entry.append(stat)
            self.changed.add(rel)

    def put(self, rel: str, entry: Entry) -> None:
        self.entries[rel] = entry
        self.changed.add(rel)

    def prune(self, keep: set[str]) -> None:
        for rel in set(self.entries) - keep:
            del self.entries[rel]
            self.removed.add(rel)

    def save(self) -> None:
        if self.path is None or not (self.changed or self.removed):
            return
        small = len(self.changed) + len(self.removed) <= JOURNAL_ENTRIES
        if small and self.loaded and self.journal_lines < JOURNAL_LINES:
            change = {
                "key": self.key,
                "files": {rel: self.entries[rel] for rel in self.changed if rel in self.entries},
                "removed": sorted(self.removed),
            }
            append_state_line(self.journal, change)
            return
        write_state_json(self.path, {"key": self.key, "files": self.entries})
        with contextlib.suppress(OSError):
            self.journal.unlink(missing_ok=True)


def _racy(recorded: list[int]) -> bool:
    """Modified too close to when its stat was recorded for the stat to prove anything."""
    return recorded[0] >= recorded[3] - RACY_NS


JOURNAL_ENTRIES = 500
JOURNAL_LINES = 20


def _journal_lines(path: Path) -> list[dict[str, Any]]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return []
    changes = []
    for line in text.splitlines():
        try:
            change = json.loads(line)
        except ValueError:
            break  # a line cut short by an interrupted run ends the journal
        if isinstance(change, dict):
            changes.append(change)
    return changes


def stat_of(path: str, now_ns: int) -> list[int] | None:
    """[mtime_ns, size, inode, now_ns] of `path`, or None when it cannot be stat'ed."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return [info.st_mtime_ns, info.st_size, info.st_ino, now_ns]
