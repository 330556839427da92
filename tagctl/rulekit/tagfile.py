"""A tag file as the rules see it, the summary cross-file rules keep of it, and the index."""

from __future__ import annotations

import difflib
import hashlib
import heapq
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from functools import cached_property
from typing import Any, NamedTuple

from tagctl.catalog.schema import SchemaError
from tagctl.catalog.source import Source
from tagctl.catalog.versioning import ENDED


class TagFile:
    """One tag file as the rules see it: its source, data and schema errors."""

    __slots__ = ("data", "rel", "schema_errors", "source")

    def __init__(self, source: Source, rel: str) -> None:
        self.source = source
        self.rel = rel
        self.data: dict[str, Any] = source.data if source.ok else {}
        self.schema_errors: list[SchemaError] = []

    @property
    def stem(self) -> str:
        name = self.rel.rsplit("/", 1)[-1]
        return name.rsplit(".", 1)[0]

    @property
    def folder(self) -> str:
        parts = self.rel.split("/")
        return parts[-2] if len(parts) >= 2 else ""

    def text(self, *path: str) -> str | None:
        """The string at `path`, or None when absent or not a string."""
        value = self.data.get(path[0]) if len(path) == 1 else self.get(*path)
        return value if type(value) is str else None

    def get(self, *path: str) -> Any:
        value: Any = self.data
        for step in path:
            if not isinstance(value, dict):
                return None
            value = value.get(step)
        return value

    def names(self, key: str) -> list[str]:
        """The list of strings at `key` (e.g. depends_on), ignoring other items."""
        value = self.data.get(key)
        if not isinstance(value, list):
            return []
        return [item for item in value if isinstance(item, str)]


class TagSummary(NamedTuple):
    """What cross-file rules need of one tag; cached with the file's results."""

    rel: str
    name: str
    status: str
    category: str
    type: str
    depends_on: tuple[str, ...]
    replaced_by: str
    zh: str
    en: str
    zh_key: str  # the label compared for duplicates: lower case, no spaces
    en_key: str
    logic_digest: str
    sunset: str


def summarize(tag: TagFile) -> TagSummary | None:
    if not tag.source.ok:
        return None
    data = tag.data  # read directly, not through TagFile.text: this runs for every file
    logic = _text(data.get("logic"))
    canonical = " ".join(logic.lower().split())
    digest = hashlib.blake2b(canonical.encode(), digest_size=8).hexdigest() if canonical else ""
    display = data.get("display_name")
    if not isinstance(display, dict):
        display = {}
    ending = data.get("deprecation")
    if not isinstance(ending, dict):
        ending = {}
    zh, en = _text(display.get("zh")), _text(display.get("en"))
    fields = (
        tag.rel,
        _text(data.get("name")) or tag.stem,
        _text(data.get("status")),
        _text(data.get("category")),
        _text(data.get("type")),
        tuple(tag.names("depends_on")),
        _text(ending.get("replaced_by")),
        zh,
        en,
        _label_key(zh),
        _label_key(en),
        digest,
        _text(ending.get("sunset")),
    )
    return tuple.__new__(TagSummary, fields)  # the fields in order, without keywords


def _text(value: Any) -> str:
    return value if type(value) is str else ""


def _label_key(label: str | None) -> str:
    return "".join(label.lower().split()) if label else ""


class Edge(NamedTuple):
    """One `depends_on` entry: who, at which index, on what (None if unknown)."""

    tag: TagSummary
    position: int
    name: str
    target: TagSummary | None


class CatalogIndex:
    """Every tag's summary, by file and by name; the subjects, and the dependency edges.

    The subjects are the tags whose problems are wanted: every tag, or with
    `focus` only the tags of those files (a run over some files, as
    pre-commit makes). A rule must yield every problem of a subject exactly
    as it would for the whole catalog; what it yields for other files is
    dropped. `related`, `edges`, `groups` and `reachable` give each rule no
    more of the catalog than a subject's problems depend on.
    """

    def __init__(self, summaries: list[TagSummary], focus: Collection[str] | None = None) -> None:
        self.summaries = sorted(summaries, key=lambda s: s.rel)
        self.by_name: dict[str, list[TagSummary]] = {}
        for summary in self.summaries:
            self.by_name.setdefault(summary.name, []).append(summary)
        self.first = {name: found[0] for name, found in self.by_name.items()}
        self.focused = focus is not None
        self.subjects = (
            self.summaries if focus is None else [s for s in self.summaries if s.rel in focus]
        )

    def __iter__(self) -> Iterator[TagSummary]:
        return iter(self.summaries)

    def get(self, name: str) -> TagSummary | None:
        return self.first.get(name)

    @cached_property
    def related(self) -> list[TagSummary]:
        """The subjects, and the tags naming one in `depends_on` or `replaced_by`; in file order.

        A problem of a subject depends on these alone, besides lookups by
        name: its own references, and who refers to it.
        """
        if not self.focused:
            return self.summaries
        rels = {s.rel for s in self.subjects}
        names = {s.name for s in self.subjects}
        return [
            s
            for s in self.summaries
            if s.rel in rels or s.replaced_by in names or not names.isdisjoint(s.depends_on)
        ]

    @cached_property
    def edges(self) -> list[Edge]:
        """The `depends_on` entries of the related tags: every edge from or to a subject."""
        first = self.first
        return [
            Edge(tag, index, name, first.get(name))
            for tag in self.related
            for index, name in enumerate(tag.depends_on)
        ]

    def groups(
        self, key: Callable[[TagSummary], str], among: Iterable[TagSummary] | None = None
    ) -> list[list[TagSummary]]:
        """The tags of `among` (default: all) sharing a non-empty `key`, two or more to a group.

        Only the groups of keys some subject has, each in file order.
        """
        wanted = {key(s) for s in self.subjects} if self.focused else None
        found: dict[str, list[TagSummary]] = {}
        for tag in self.summaries if among is None else among:
            value = key(tag)
            if value and (wanted is None or value in wanted):
                found.setdefault(value, []).append(tag)
        return [tags for tags in found.values() if len(tags) > 1]

    def reachable(self) -> dict[str, list[str]]:
        """The dependency graph by name (known targets only), from the subjects onwards.

        Whole: every tag. With a focus: the tags some subject depends on,
        directly or not, with all their edges, which hold every cycle
        through a subject.
        """
        first, by_name = self.first, self.by_name

        def targets(name: str) -> list[str]:
            return [t for tag in by_name[name] for t in tag.depends_on if t in first]

        if not self.focused:
            return {name: targets(name) for name in first}
        graph: dict[str, list[str]] = {}
        pending = [s.name for s in self.subjects]
        while pending:
            name = pending.pop()
            if name not in graph:
                graph[name] = targets(name)
                pending.extend(t for t in graph[name] if t not in graph)
        return graph

    def live_replacement(self, ended: TagSummary, asking: str) -> str | None:
        """The live tag that takes over from `ended`, for the tag named `asking`.

        Follows `replaced_by` through replacements that have ended in turn;
        None when the chain stops at an unknown tag, loops, or leads to
        `asking` itself: a hint never sends a tag to itself or to an ended tag.
        """
        seen = {ended.name}
        name = ended.replaced_by
        while name and name not in seen:
            target = self.get(name)
            if target is None:
                return None
            if target.status not in ENDED:
                return name if name != asking else None
            seen.add(name)
            name = target.replaced_by
        return None

    def closest_live(self, word: str, besides: str) -> str | None:
        """The live tag name closest to `word` (a likely typo), other than `besides`."""
        if word not in self._close:
            self._close[word] = close_matches(word, self._live_names, n=2)
        return next((name for name in self._close[word] if name != besides), None)

    @cached_property
    def _live_names(self) -> dict[int, list[str]]:
        """The names of the live tags, by length."""
        by_length: dict[int, list[str]] = {}
        for name, tag in self.first.items():
            if tag.status not in ENDED:
                by_length.setdefault(len(name), []).append(name)
        return by_length

    @cached_property
    def _close(self) -> dict[str, list[str]]:
        return {}


def close_matches(
    word: str, by_length: Mapping[int, list[str]], n: int, cutoff: float = 0.6
) -> list[str]:
    """`difflib.get_close_matches(word, names, n, cutoff)`, the same list, fewer names scored.

    A name of length m scores at most 2 min(m, k) / (m + k) against a word of
    length k (difflib's `real_quick_ratio`). Lengths are taken from the highest
    such bound down, and the search stops where the bound falls below the n-th
    best score found so far; a name that could tie with it is still scored. On
    10,000 look-alike names difflib took 111 ms for a typo, this 22 ms; a messy
    catalog can name a thousand unknown dependencies.
    """
    matcher = difflib.SequenceMatcher()
    matcher.set_seq2(word)
    k = len(word)
    found: list[tuple[float, str]] = []
    best: list[float] = []  # the n best scores, smallest first
    floor = cutoff
    for m in sorted(by_length, key=lambda m: -_most(m, k)):
        if _most(m, k) < floor:
            break
        for name in by_length[m]:
            matcher.set_seq1(name)
            if matcher.quick_ratio() < floor:
                continue
            score = matcher.ratio()
            if score < floor:
                continue
            found.append((score, name))
            heapq.heappush(best, score)
            if len(best) > n:
                heapq.heappop(best)
            if len(best) == n:
                floor = max(cutoff, best[0])
    return [name for _, name in heapq.nlargest(n, found)]


def _most(m: int, k: int) -> float:
    """The best score two texts of lengths m and k can have, computed as difflib does."""
    return 2.0 * min(m, k) / (m + k) if m + k else 1.0
