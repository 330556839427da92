"""A lint run from start to end: the one function the CLI calls.

1. Load tagctl.yaml and the rule settings (errors here exit 2).
2. Find every tag file; read each, and take its results from the cache when
   its bytes are unchanged, else check it (in parallel when there are many).
3. Run the cross-file rules over every tag's cached summary.
4. Keep the problems of the files asked about, drop suppressed and
   baselined ones, and return them sorted.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import os
import time
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from tagctl.catalog.config import Config, load_catalog_config, refuse_outside_link
from tagctl.catalog.discovery import SUFFIXES, Found, confinement, find_tag_files, link_leaves
from tagctl.catalog.positions import locate_all
from tagctl.catalog.reader import read_regular
from tagctl.catalog.source import dotted, outside_source
from tagctl.errors import UsageError
from tagctl.fsutil import local_identity, state_dir
from tagctl.lint.baseline import apply_baseline, read_baseline
from tagctl.lint.cache import Entry, LintCache, cache_key, digest, stat_of
from tagctl.lint.result import LintResult, gather
from tagctl.lint.settings import ActiveRule, active_rules, ignored_files
from tagctl.rulekit import (
    CatalogIndex,
    CatalogRule,
    Finding,
    LintContext,
    Problem,
    TagFile,
    TagSummary,
)
from tagctl.rules.tg011_outside_catalog import OutsideCatalog
from tagctl.rules.tg012_no_tag_files import NoTagFiles

if TYPE_CHECKING:
    from tagctl.changes.diff import CatalogDiff

PARALLEL_THRESHOLD = 400


@dataclass
class LintRequest:
    """What to lint and how; the CLI fills it from flags."""

    paths: Sequence[Path] = ()
    catalog: Path | None = None
    config: Path | None = None
    cache: bool = True
    jobs: int | None = None
    baseline: Path | None = None
    today: dt.date | None = None
    only: Collection[str] | None = None
    cross_file: bool = True
    apply_baseline: bool = True
    rebuild_cache: bool = False
    against: str | None = None  # a git ref: compare with it (TG410-TG414, TG416)


@dataclass
class _Run:
    config: Config
    rules: list[ActiveRule]
    ctx: LintContext
    cache: LintCache
    entries: dict[str, Entry] = field(default_factory=dict)
    paths: dict[str, str] = field(default_factory=dict)


def lint(request: LintRequest) -> LintResult:
    gc.disable()  # a short run creating many small objects: collection only costs time
    try:
        return _lint(request)
    except (IndexError, KeyError, TypeError, ValueError):
        if not request.cache:
            raise
        # A cache edited by hand or damaged on disk: it may only cost speed,
        # never the answer, so lint again without it and rebuild it.
        return _lint(dataclasses.replace(request, cache=False, rebuild_cache=True))
    finally:
        gc.enable()


def _lint(request: LintRequest) -> LintResult:
    config = load_catalog_config(request.catalog, request.config, request.paths)
    if request.baseline is not None:
        refuse_outside_link(request.baseline, config.root, "--baseline")
    rules = active_rules(config, request.only)
    ctx = LintContext(config, request.today or dt.date.today(), _diff(config, request.against))
    cache = state_dir(config.root) / "cache"
    if any(link_leaves(cache / name, config.root) for name in ("lint.json", "lint.journal")):
        request = dataclasses.replace(request, cache=False, rebuild_cache=False)
    run = _Run(config, rules, ctx, _open_cache(config, rules, request))
    given, outside = _gather(run, request)
    _collect(run, request.jobs)
    run.cache.prune(set(run.paths))
    wanted = given if request.paths else {*run.paths, *outside}
    findings = list(_file_findings(run, wanted))
    findings.extend(_outside_findings(run, {r: p for r, p in outside.items() if r in wanted}))
    if request.cross_file:
        findings.extend(_catalog_findings(run, wanted, gone=not request.paths))
    if not request.paths:
        findings.extend(_no_tag_files(run, len(run.paths) + len(outside)))
    run.cache.save()
    return _result(run, findings, request, wanted)


def _gather(run: _Run, request: LintRequest) -> tuple[set[str], dict[str, str]]:
    """Fill run.paths with the files to read; the files given, and the links out of the catalog.

    A link whose target leaves the catalog is kept apart: it is reported
    (TG011) and never read, stat'ed for the cache or cached.
    """
    focus, focus_outside = _focus(run, request.paths)
    whole = request.cross_file or not request.paths
    found = find_tag_files(run.config.tags_dir, run.config.root) if whole else Found()
    found.files.extend(focus.values())
    found.outside.extend(focus_outside.values())
    root = str(run.config.root)
    outside: dict[str, str] = {}
    for paths, into in ((found.files, run.paths), (found.outside, outside)):
        for path in paths:
            rel = _rel(root, path)
            if not (run.config.lint.ignore and _ignored(run.config, rel)):
                into[rel] = path
    given = {*focus, *focus_outside}
    if run.config.lint.ignore:  # an ignored file given by name is not checked either
        given = {rel for rel in given if not _ignored(run.config, rel)}
    return given, outside


def _outside_findings(run: _Run, outside: dict[str, str]) -> Iterator[tuple[str, Finding]]:
    """TG011 for the links whose target leaves the catalog, made without opening them."""
    for rel, path in sorted(outside.items()):
        tag = TagFile(outside_source(Path(path)), rel)
        for active in run.rules:
            if isinstance(active.rule, OutsideCatalog) and not active.ignores(rel):
                for problem in active.rule.check(tag, run.ctx):
                    yield rel, _finding(active.code, problem)


def _no_tag_files(run: _Run, found: int) -> Iterator[tuple[str, Finding]]:
    """TG012 on tagctl.yaml when a run over the whole catalog had no tag file to check."""
    run.ctx.tag_files = found
    for active in run.rules:
        if isinstance(active.rule, NoTagFiles):
            for rel, problem in active.rule.check(CatalogIndex([]), run.ctx):
                yield rel, _finding(active.code, problem)


def _finding(code: str, p: Problem) -> Finding:
    return (code, p.message, p.hint or "", p.line or 1, p.column or 1, dotted(p.path))


def _diff(config: Config, against: str | None) -> CatalogDiff | None:
    if against is None:
        return None
    # lazy: git and the catalog diff only with --against
    from tagctl.changes.diff import diff_against

    return diff_against(config, against)


def _open_cache(config: Config, rules: list[ActiveRule], request: LintRequest) -> LintCache:
    use = (request.cache or request.rebuild_cache) and config.lint.cache and request.cross_file
    signature = ";".join(f"{a.code}:{a.rule.options!r}:{a.ignore}" for a in rules)
    path = state_dir(config.root) / "cache" / "lint.json" if use else None
    if path is not None:  # a cache committed to the repository is never this folder's
        signature += ";" + local_identity(path.parent)
    cache = LintCache(path if request.cache else None, cache_key(config.fingerprint, signature))
    cache.path = path  # a rebuild starts empty but is still saved
    return cache


def _focus(run: _Run, paths: Sequence[Path]) -> tuple[dict[str, str], dict[str, str]]:
    """The files given (folders walked), and the given links that leave the catalog.

    A path in the catalog must stay in it, links followed; a path elsewhere
    below the current folder must stay below it (see `confinement`).
    """
    focus: dict[str, str] = {}
    outside: dict[str, str] = {}
    config_file = os.path.abspath(run.config.file) if run.config.file else ""
    root = str(run.config.root)
    for given in paths:
        path = os.path.abspath(given)
        if not os.path.lexists(path):
            raise UsageError("no such file or folder", path=given)
        confined = confinement(path, root) or os.sep
        if not path.endswith(SUFFIXES):  # a folder to walk, or not a tag file
            found = find_tag_files(path, confined) if os.path.isdir(path) else Found()
        elif link_leaves(path, confined):
            found = Found(outside=[path])
        else:
            found = Found(files=[path])  # a folder named like a tag file too: TG009
        focus.update((_rel(root, file), file) for file in found.files if file != config_file)
        outside.update((_rel(root, link), link) for link in found.outside)
    return focus, outside


def _rel(root: str, path: str) -> str:
    """`path` relative to the catalog root, with forward slashes; absolute if outside."""
    if path.startswith(root + os.sep):
        return path[len(root) + 1 :].replace(os.sep, "/")
    return os.path.abspath(path)


def _ignored(config: Config, rel: str) -> bool:
    """`lint.ignore` matches `rel` (gitignore rules; the globs are compiled once per run)."""
    return ignored_files(config)(rel)


def _collect(run: _Run, jobs: int | None) -> None:
    """Fill run.entries: from the cache where the file is unchanged, else checked."""
    cache = run.cache
    now = time.time_ns()
    misses: list[tuple[str, str, bytes | None]] = []
    for rel, path in run.paths.items():
        if not cache.entries:
            misses.append((rel, path, None))  # cold: the workers read the files
            continue
        stat = stat_of(path, now)
        entry = cache.unchanged(rel, stat) if stat is not None else None
        raw = None if entry is not None else read_regular(path)
        if entry is None and raw is not None:
            entry = cache.get(rel, digest(raw))
            cache.restat(rel, stat)
        if entry is not None:
            run.entries[rel] = entry
        else:
            misses.append((rel, path, raw))
    if misses:
        _check(run, misses, jobs)


def _check(run: _Run, misses: list[tuple[str, str, bytes | None]], jobs: int | None) -> None:
    # lazy: a warm run checks no file: no schema validator, no workers
    from tagctl.catalog.schema import Checker
    from tagctl.lint.worker import Worker, run_parallel

    worker = Worker(run.ctx, run.rules, Checker("tag"))
    processes = _processes(run.config, jobs, len(misses))
    now = time.time_ns()
    stats = {rel: stat_of(path, now) for rel, path, _ in misses}  # before reading: racy-safe
    if processes > 1:
        results = run_parallel(worker, [(path, rel) for rel, path, _ in misses], processes)
    else:
        results = [worker.check(Path(path), rel, raw) for rel, path, raw in misses]
    for rel, entry in results:
        run.entries[rel] = entry
        run.cache.put(rel, entry)
        run.cache.restat(rel, stats[rel])


def _processes(config: Config, jobs: int | None, work: int) -> int:
    wanted = jobs if jobs is not None else config.lint.jobs
    if wanted == 0:
        wanted = os.cpu_count() or 1
    if work < PARALLEL_THRESHOLD or not hasattr(os, "fork"):
        return 1
    return max(1, wanted)


def _file_findings(run: _Run, wanted: set[str]) -> Iterator[tuple[str, Finding]]:
    """The per-file problems of the files in `wanted`.

    None for a file `lint.ignore` matches, even one given by name: a run over
    the whole catalog reports nothing for it.
    """
    ignored = ignored_files(run.config)
    for rel in sorted(wanted):
        entry = run.entries.get(rel)
        if entry is not None and not (ignored.patterns and ignored(rel)):
            for finding in entry[1]:
                yield rel, tuple(finding)


def _catalog_findings(run: _Run, wanted: set[str], gone: bool) -> Iterator[tuple[str, Finding]]:
    """The cross-file problems of the files in `wanted`; with `gone`, of removed files too.

    They are found over the catalog alone (the tag files of its tags folder
    that are not ignored), whatever files were given, so that a file gets
    the same problems as in a run over the whole catalog. A given file
    outside the tags folder is checked as if it were added to the catalog,
    in a second pass that reports only on such files.
    """
    tags = os.path.join(os.path.abspath(run.config.tags_dir), "")
    hidden = f"{os.sep}."  # a hidden file or folder below the tags folder
    ignored = ignored_files(run.config)
    catalog: set[str] = set()
    members: list[TagSummary] = []
    extras: list[TagSummary] = []
    for rel, path in run.paths.items():
        if ignored.patterns and ignored(rel):
            continue
        inside = path.startswith(tags) and hidden not in path[len(tags) - 1 :]
        if inside:
            catalog.add(rel)
        entry = run.entries.get(rel)
        if entry is not None and entry[2] is not None:
            (members if inside else extras).append(TagSummary(*entry[2]))
    pending: dict[str, list[tuple[str, Problem]]] = {}

    def ours(rel: str) -> bool:
        return (rel in wanted and rel in catalog) or (gone and _gone(run, rel))

    _cross_check(run, CatalogIndex(members), ours, pending)
    if extras:
        outside = {summary.rel for summary in extras} & wanted
        _cross_check(run, CatalogIndex(members + extras), outside.__contains__, pending)
    for rel, problems in pending.items():
        yield from _place(run, rel, problems)


def _cross_check(
    run: _Run,
    index: CatalogIndex,
    keep: Callable[[str], bool],
    pending: dict[str, list[tuple[str, Problem]]],
) -> None:
    """Run the cross-file rules over `index`, adding the problems of the files `keep` accepts."""
    for active in run.rules:
        if not isinstance(active.rule, CatalogRule):
            continue
        for rel, problem in active.rule.check(index, run.ctx):
            if keep(rel) and not active.ignores(rel):
                pending.setdefault(rel, []).append((active.code, problem))


def _gone(run: _Run, rel: str) -> bool:
    """A file that is not in the working tree (a tag removed since the `--against` ref)."""
    return rel not in run.paths and not _ignored(run.config, rel)


def _place(
    run: _Run, rel: str, problems: list[tuple[str, Problem]]
) -> Iterator[tuple[str, Finding]]:
    """Positions for cross-file problems, memoised in the file's cache entry."""
    if rel not in run.entries:  # a removed file: at its top, or where the rule says
        for code, p in problems:
            yield rel, (code, p.message, p.hint or "", p.line or 1, p.column or 1, dotted(p.path))
        return
    entry = run.entries[rel]
    memo: dict[str, list[int]] = entry[4]
    keyed = [(code, p, f"{int(p.at_key)}|{dotted(p.path)}") for code, p in problems]
    missing = {(p.path, p.at_key) for _, p, key in keyed if key not in memo}
    if missing:
        text = _text(run.paths[rel])
        for (path, at_key), position in locate_all(text, missing).items():
            memo[f"{int(at_key)}|{dotted(path)}"] = list(position)
        run.cache.put(rel, entry)
    for code, problem, key in keyed:
        line, column = memo[key]
        yield rel, (code, problem.message, problem.hint or "", line, column, dotted(problem.path))


def _text(path: str) -> str:
    raw = read_regular(path) or b""
    return raw.decode("utf-8-sig", errors="replace")


def _result(
    run: _Run, findings: list[tuple[str, Finding]], request: LintRequest, wanted: set[str]
) -> LintResult:
    result = gather(findings, run.rules, run.entries, run.paths, str(run.config.root))
    result.files_checked = len(wanted)
    if request.baseline is not None and request.apply_baseline:
        result.violations, result.baselined = apply_baseline(
            result.violations, read_baseline(request.baseline)
        )
    return result
