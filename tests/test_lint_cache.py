"""The lint cache's two files and its journal: what one run writes, the next reads back."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tagctl.lint.cache import JOURNAL_LINES, LAZY, Entry, LintCache

KEY = "k" * 64
OLD = 1_000_000_000_000_000_000  # a file modified long before its stat was recorded


def entry(number: int, summary: str = "summary") -> Entry:
    return [
        f"digest{number}",
        [["TG505", f"short {number}", "", 6, 14, "description"]] if number % 2 else [],
        [f"tags/t{number}.yaml", f"{summary} {number}"],
        [],
        {},
        [OLD, 100 + number, number, OLD + 10**10],
    ]


def filled(path: Path, count: int = 5) -> LintCache:
    """A cache of `count` entries written in full, as a cold run leaves it."""
    cache = LintCache(path, KEY)
    for number in range(count):
        cache.put(f"tags/t{number}.yaml", entry(number))
    cache.keep_catalog_findings("catalog-1", [["tags/t1.yaml", ["TG301", "m", "", 1, 1, ""]]])
    cache.save()
    return cache


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / ".tagctl" / "cache" / "lint.json"


def test_a_warm_run_reads_the_index_and_the_summaries_only_when_asked(path: Path) -> None:
    filled(path)
    stored = json.loads(path.read_text(encoding="utf-8"))
    at = stored["files"].index("tags/t1.yaml")
    assert [stored[column][at] for column in ("digests", "findings", "suppressions", "stats")] == [
        "digest1",
        [["TG505", "short 1", "", 6, 14, "description"]],
        [],
        [OLD, 101, 1, OLD + 10**10],
    ]
    assert "summaries" not in stored
    cache = LintCache(path, KEY)
    first = cache.entries["tags/t1.yaml"]
    assert (first[0], first[1], first[2], first[4]) == ("digest1", entry(1)[1], LAZY, LAZY)
    assert cache.catalog_findings("catalog-1") == [["tags/t1.yaml", ["TG301", "m", "", 1, 1, ""]]]
    assert cache.catalog_findings("catalog-2") is None
    assert cache.load_summaries() == set()
    assert cache.entries == {f"tags/t{n}.yaml": entry(n) for n in range(5)}
    assert cache.load_summaries() == set()  # once


def test_the_journal_carries_new_summaries_and_keeps_the_old_ones(path: Path) -> None:
    filled(path)
    cache = LintCache(path, KEY)
    cache.put("tags/t2.yaml", entry(2, summary="edited"))
    stat = [OLD + 5, 300, 3, OLD + 10**10 + 5]
    cache.restat("tags/t3.yaml", stat)  # only its stat changed: its summary stays on disk
    cache.save()
    assert len(path.with_suffix(".journal").read_text(encoding="utf-8").splitlines()) == 1

    again = LintCache(path, KEY)
    assert again.entries["tags/t3.yaml"][5] == stat
    assert again.load_summaries() == set()
    assert again.entries["tags/t2.yaml"][2] == ["tags/t2.yaml", "edited 2"]
    assert again.entries["tags/t3.yaml"][2] == ["tags/t3.yaml", "summary 3"]


def test_folding_the_journal_keeps_every_summary(path: Path) -> None:
    """A full rewrite by a run that never read the summaries reads them first."""
    filled(path)
    cache = LintCache(path, KEY)
    cache.put("tags/t2.yaml", entry(2, summary="edited"))
    cache.save()
    for number in range(JOURNAL_LINES):  # runs that only see new stats, until the fold
        cache = LintCache(path, KEY)
        assert path.with_suffix(".journal").exists()
        cache.restat("tags/t4.yaml", [OLD + number + 1, 104, 4, OLD + 10**10])
        cache.save()
    assert not path.with_suffix(".journal").exists()
    final = LintCache(path, KEY)
    assert final.load_summaries() == set()
    assert final.entries["tags/t2.yaml"][2] == ["tags/t2.yaml", "edited 2"]
    assert final.entries["tags/t0.yaml"][2] == ["tags/t0.yaml", "summary 0"]


def test_a_summary_of_other_contents_is_not_used(path: Path) -> None:
    """The index written, the summaries not (a run cut short): the rows name other
    digests, so those files are checked again."""
    filled(path)
    summaries = path.with_name("summaries.json")
    stored: dict[str, Any] = json.loads(summaries.read_text(encoding="utf-8"))
    stored["digests"][stored["files"].index("tags/t3.yaml")] = "digest of an older text"
    gone = stored["files"].index("tags/t4.yaml")
    for column in ("files", "digests", "summaries", "positions"):
        del stored[column][gone]
    summaries.write_text(json.dumps(stored), encoding="utf-8")
    cache = LintCache(path, KEY)
    assert cache.load_summaries() == {"tags/t3.yaml", "tags/t4.yaml"}
    assert set(cache.entries) == {"tags/t0.yaml", "tags/t1.yaml", "tags/t2.yaml"}


def test_summaries_of_another_key_are_not_used(path: Path) -> None:
    filled(path)
    summaries = path.with_name("summaries.json")
    stored = json.loads(summaries.read_text(encoding="utf-8"))
    stored["key"] = "another"
    summaries.write_text(json.dumps(stored), encoding="utf-8")
    cache = LintCache(path, KEY)
    assert cache.load_summaries() == {f"tags/t{n}.yaml" for n in range(5)}
    assert cache.entries == {}


@pytest.mark.parametrize("name", ["lint.json", "summaries.json"])
def test_columns_of_different_lengths_are_not_used(path: Path, name: str) -> None:
    filled(path)
    stored = json.loads(path.with_name(name).read_text(encoding="utf-8"))
    stored["digests"].pop()
    path.with_name(name).write_text(json.dumps(stored), encoding="utf-8")
    cache = LintCache(path, KEY)
    if name == "lint.json":
        assert cache.entries == {}
    else:
        assert cache.load_summaries() == {f"tags/t{n}.yaml" for n in range(5)}


def test_unchanged_trusts_only_an_old_matching_stat(path: Path, tmp_path: Path) -> None:
    file = tmp_path / "t.yaml"
    file.write_text("name: t\n", encoding="utf-8")
    info = file.stat()
    cache = LintCache(path, KEY)
    recorded = info.st_mtime_ns + 10**10
    stat = [info.st_mtime_ns, info.st_size, info.st_ino, recorded]
    cache.put("t.yaml", ["d", [], None, [], {}, stat])
    assert set(cache.unchanged({"t.yaml": str(file)})) == {"t.yaml"}
    cache.entries["t.yaml"][5][3] = info.st_mtime_ns + 10**9  # recorded in the same moment
    assert cache.unchanged({"t.yaml": str(file)}) == {}
    cache.entries["t.yaml"][5] = [info.st_mtime_ns, info.st_size + 1, info.st_ino, recorded]
    assert cache.unchanged({"t.yaml": str(file)}) == {}
    assert cache.unchanged({"t.yaml": str(tmp_path / "gone.yaml")}) == {}
