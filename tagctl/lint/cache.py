"""Per-file lint results, keyed by the file's content hash.

Stored in `<catalog>/.tagctl/cache/` (see `LintCache`). The whole cache is dropped
when tagctl's version or code, the merged configuration or the schema
changes; an entry is used only when the file's bytes hash to the same
digest. Cross-file rules run from the cached per-file summaries; their
problems are kept only for the catalog they were found in (every file's
digest, and the day), so a run over an unchanged catalog skips them. A cache
that cannot be read or written is ignored: it can only make lint faster,
never change its answer.

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
FORMAT = 6
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
    """The entries of the cache files, with the small changes of later runs in a journal.

    Two files, because a run over an unchanged catalog needs only half of
    each entry: `lint.json` holds what every run reads (digest, findings,
    suppressions, stat; and the cross-file findings), `summaries.json` what
    only the cross-file rules read (the tag's summary and the positions of
    its cross-file problems). The second is read when those rules run, by
    `load_summaries`; each of its rows names the digest it belongs to, so a
    row that does not match its entry (a run cut short between the two
    writes) is never used. Both are stored by column (`INDEX`, `SUMMARIES`:
    one list per part of an entry, in the order of the file names), which
    reads back with far fewer objects than a list per file.

    A run that checks a handful of files appends those entries to
    `lint.journal` instead of rewriting every entry; the journal is folded back
    into the files once it grows.
    """

    def __init__(self, path: Path | None, key: str) -> None:
        self.path = path
        self.key = key
        self.entries: dict[str, Entry] = {}
        self.changed: set[str] = set()  # entries to write
        self.removed: set[str] = set()
        self.journal_lines = 0
        self.catalog: list[Any] = ["", []]  # [catalog key, cross-file findings]
        self.catalog_changed = False
        self.loaded = False  # lint.json held entries for this key: a journal may extend it
        self.summarized = True  # every entry holds its summary (none is LAZY)
        self._journal_summaries: dict[str, list[Any]] = {}
        if path is not None:
            self._load(path)

    @property
    def journal(self) -> Path:
        assert self.path is not None
        return self.path.with_suffix(".journal")

    @property
    def summaries(self) -> Path:
        assert self.path is not None
        return self.path.with_name("summaries.json")

    def _load(self, path: Path) -> None:
        stored = read_state_json(path)
        columns = _columns(stored, self.key, INDEX)
        if columns is None:
            return
        self.entries = {
            rel: [digest, findings, LAZY, marks, LAZY, stat]
            if stat
            else [digest, findings, LAZY, marks, LAZY]
            for rel, digest, findings, marks, stat in zip(*columns, strict=True)
        }
        self.loaded, self.summarized = True, False
        self.catalog = stored.get("catalog") or self.catalog
        for change in _journal_lines(self.journal):
            if change.get("key") != self.key:
                continue
            for rel, row in (change.get("files") or {}).items():
                self.entries[rel] = _from_index_row(row)
            self._journal_summaries.update(change.get("summaries") or {})
            for rel in change.get("removed") or ():
                self.entries.pop(rel, None)
            self.catalog = change.get("catalog") or self.catalog
            self.journal_lines += 1

    def load_summaries(self) -> set[str]:
        """Fill in the summaries of the entries read from `lint.json`.

        Returns the files whose summary was not found; their entries are
        dropped, so that they are checked again.
        """
        if self.summarized:
            return set()
        self.summarized = True
        entries = self.entries
        columns = _columns(read_state_json(self.summaries), self.key, SUMMARIES)
        rows = zip(*columns, strict=True) if columns else iter(())
        journal = ((rel, *row) for rel, row in self._journal_summaries.items())
        for rows_of in (journal, rows):  # the journal is newer
            for rel, digest, summary, positions in rows_of:
                entry = entries.get(rel)
                if entry is not None and entry[2] is LAZY and entry[0] == digest:
                    entry[2], entry[4] = summary, positions
        missing = {rel for rel, entry in entries.items() if entry[2] is LAZY}
        for rel in missing:
            del entries[rel]
        return missing

    def get(self, rel: str, file_digest: str) -> Entry | None:
        entry = self.entries.get(rel)
        return entry if entry is not None and entry[0] == file_digest else None

    def unchanged(self, paths: dict[str, str]) -> dict[str, Entry]:
        """The entries of the files (`paths` by name) whose stat proves them unchanged.

        Those files are not read. A stat is only trusted when the file was last
        modified well before the stat was recorded: a change in the same
        instant could leave the same stat.
        """
        found = {}
        entries = self.entries
        stat = os.stat
        for rel, path in paths.items():
            entry = entries.get(rel)
            if entry is None or len(entry) < 6:
                continue
            mtime, size, inode, recorded = entry[5]
            if mtime >= recorded - RACY_NS:  # _racy, inline: this loop runs for every file
                continue
            try:
                info = stat(path)
            except OSError:
                continue
            if info.st_mtime_ns == mtime and info.st_size == size and info.st_ino == inode:
                found[rel] = entry
        return found

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

    def catalog_findings(self, catalog_key: str) -> list[Any] | None:
        """The cross-file findings kept for the catalog `catalog_key` names, if they are."""
        return self.catalog[1] if self.catalog[0] == catalog_key else None

    def keep_catalog_findings(self, catalog_key: str, findings: list[Any]) -> None:
        self.catalog = [catalog_key, findings]
        self.catalog_changed = True

    def prune(self, keep: set[str]) -> None:
        for rel in set(self.entries) - keep:
            del self.entries[rel]
            self.removed.add(rel)

    def save(self) -> None:
        if self.path is None or not (self.changed or self.removed or self.catalog_changed):
            return
        catalog = self.catalog if self.catalog_changed else None
        size = len(self.changed) + len(self.removed) + len(catalog[1] if catalog else ())
        if size <= JOURNAL_ENTRIES and self.loaded and self.journal_lines < JOURNAL_LINES:
            changed = [(rel, self.entries[rel]) for rel in self.changed if rel in self.entries]
            change = {
                "key": self.key,
                "files": {rel: _index_row(entry) for rel, entry in changed},
                "summaries": {
                    rel: _summary_row(entry) for rel, entry in changed if entry[2] is not LAZY
                },
                "removed": sorted(self.removed),
                "catalog": catalog,
            }
            append_state_line(self.journal, change)
            return
        self.load_summaries()  # the journal is folded in: its summaries go to the file too
        rels, entries = list(self.entries), list(self.entries.values())
        digests = [e[0] for e in entries]
        # the summaries first: an index written without them would name rows that are not there
        summaries = [rels, digests, [e[2] for e in entries], [e[4] for e in entries]]
        write_state_json(
            self.summaries, {"key": self.key, **dict(zip(SUMMARIES, summaries, strict=True))}
        )
        stats = [e[5] if len(e) > 5 else None for e in entries]
        index = [rels, digests, [e[1] for e in entries], [e[3] for e in entries], stats]
        document = {
            "key": self.key,
            **dict(zip(INDEX, index, strict=True)),
            "catalog": self.catalog,
        }
        write_state_json(self.path, document)
        with contextlib.suppress(OSError):
            self.journal.unlink(missing_ok=True)


# The columns of the two files: one list each, the n-th item of every list
# belonging to the n-th file.
INDEX = ("files", "digests", "findings", "suppressions", "stats")
SUMMARIES = ("files", "digests", "summaries", "positions")


def _columns(stored: Any, key: str, names: tuple[str, ...]) -> list[list[Any]] | None:
    """The columns `names` of a cache file written for `key`; None for any other file."""
    if not (isinstance(stored, dict) and stored.get("key") == key):
        return None
    columns = [column for name in names if isinstance(column := stored.get(name), list)]
    if len(columns) != len(names) or len({len(column) for column in columns}) != 1:
        return None
    return columns


class _Lazy:
    """The summary of an entry read from `lint.json`, until `load_summaries`."""

    def __repr__(self) -> str:
        return "LAZY"


LAZY: Any = _Lazy()


def _index_row(entry: Entry) -> list[Any]:
    return [entry[0], entry[1], entry[3], entry[5] if len(entry) > 5 else None]


def _from_index_row(row: list[Any]) -> Entry:
    """The entry of an index row, its summary and positions LAZY until `load_summaries`."""
    digest, findings, suppressions, stat = row
    return [digest, findings, LAZY, suppressions, LAZY, *([stat] if stat else [])]


def _summary_row(entry: Entry) -> list[Any]:
    return [entry[0], entry[2], entry[4]]


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
