"""Per-file lint results, keyed by the file's content hash.

Stored in `<catalog>/.tagctl/cache/lint.json`. The whole cache is dropped
when tagctl's version or code, the merged configuration or the schema
changes; an entry is used only when the file's bytes hash to the same
digest. Cross-file rules are never cached: they run on every lint from the
cached per-file summaries. A cache that cannot be read or written is
ignored: it can only make lint faster, never change its answer.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

import tagctl
from tagctl.fsutil import read_state_json, write_state_json
from tagctl.schemas import schema_dir

Entry = list[Any]  # [digest, findings, summary, suppressions, positions]


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
    parts = [tagctl.__version__, config_fingerprint, rules_signature, *stamps, schema.read_text()]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


class LintCache:
    def __init__(self, path: Path | None, key: str) -> None:
        self.path = path
        self.key = key
        self.entries: dict[str, Entry] = {}
        self.dirty = False
        if path is not None:
            self._load(path)

    def _load(self, path: Path) -> None:
        stored = read_state_json(path)
        if isinstance(stored, dict) and stored.get("key") == self.key:
            files = stored.get("files")
            self.entries = files if isinstance(files, dict) else {}

    def get(self, rel: str, file_digest: str) -> Entry | None:
        entry = self.entries.get(rel)
        return entry if entry is not None and entry[0] == file_digest else None

    def put(self, rel: str, entry: Entry) -> None:
        self.entries[rel] = entry
        self.dirty = True

    def prune(self, keep: set[str]) -> None:
        for rel in set(self.entries) - keep:
            del self.entries[rel]
            self.dirty = True

    def save(self) -> None:
        if self.path is not None and self.dirty:
            write_state_json(self.path, {"key": self.key, "files": self.entries})
