"""A lint run from start to end: the one function the CLI calls.

1. Load tagctl.yaml and the rule settings (errors here exit 2).
2. Find every tag file; read each, and take its results from the cache when
   its bytes are unchanged, else check it (in parallel when there are many).
3. Run the cross-file rules over every tag's cached summary, unless the
   whole catalog is the one they last ran over (same bytes, same day).
4. Keep the problems of the files asked about, drop suppressed and
   baselined ones, and return them sorted.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import os
import time
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tagctl.catalog.config import Config, load_catalog_config, refuse_outside_link
from tagctl.catalog.discovery import SUFFIXES, Found, confinement, find_tag_files, link_leaves
from tagctl.catalog.reader import read_regular
from tagctl.catalog.source import dotted, outside_source
from tagctl.errors import UsageError
from tagctl.fsutil import local_identity, state_dir
from tagctl.lint.baseline import apply_baseline, read_baseline
from tagctl.lint.cache import LintCache, cache_key, digest, stat_of
from tagctl.lint.crossfile import catalog_findings, catalog_key
from tagctl.lint.result import LintResult, gather
from tagctl.lint.run import Run
from tagctl.lint.settings import ActiveRule, active_rules, ignored_files
from tagctl.rulekit import (
    CatalogIndex,
    Finding,
    LintContext,
    Problem,
    TagFile,
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
    run = Run(config, rules, ctx, _open_cache(config, rules, request))
    given, outside = _gather(run, request)
    _collect(run, request.jobs)
    run.cache.prune(set(run.paths))
    wanted = given if request.paths else {*run.paths, *outside}
    files = _file_findings(run, wanted)
    findings = list(_outside_findings(run, {r: p for r, p in outside.items() if r in wanted}))
    if request.cross_file:
        findings.extend(_cross_file_findings(run, request, wanted))
    if not request.paths:
        findings.extend(_no_tag_files(run, len(run.paths) + len(outside)))
    run.cache.save()
    return _result(run, files, findings, request, wanted)


def _gather(run: Run, request: LintRequest) -> tuple[set[str], dict[str, str]]:
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


def _outside_findings(run: Run, outside: dict[str, str]) -> Iterator[tuple[str, Finding]]:
    """TG011 for the links whose target leaves the catalog, made without opening them."""
    for rel, path in sorted(outside.items()):
        tag = TagFile(outside_source(Path(path)), rel)
        for active in run.rules:
            if isinstance(active.rule, OutsideCatalog) and not active.ignores(rel):
                for problem in active.rule.check(tag, run.ctx):
                    yield rel, _finding(active.code, problem)


def _no_tag_files(run: Run, found: int) -> Iterator[tuple[str, Finding]]:
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


def _focus(run: Run, paths: Sequence[Path]) -> tuple[dict[str, str], dict[str, str]]:
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


def _collect(run: Run, jobs: int | None) -> None:
    """Fill run.entries: from the cache where the file is unchanged, else checked."""
    cache = run.cache
    now = time.time_ns()
    misses: list[tuple[str, str, bytes | None]] = []
    run.entries = cache.unchanged(run.paths)
    for rel, path in run.paths.items():
        if rel in run.entries:
            continue
        if not cache.entries:
            misses.append((rel, path, None))  # cold: the workers read the files
            continue
        stat = stat_of(path, now)
        raw = read_regular(path)
        entry = cache.get(rel, digest(raw)) if raw is not None else None
        if entry is not None:
            cache.restat(rel, stat)
            run.entries[rel] = entry
        else:
            misses.append((rel, path, raw))
    if misses:
        _check(run, misses, jobs)


def _check(run: Run, misses: list[tuple[str, str, bytes | None]], jobs: int | None) -> None:
    # lazy: a warm run checks no file: no schema validator, no workers
    from tagctl.catalog.schema import Checker
    from tagctl.lint.worker import Worker, run_parallel

    worker = Worker(run.ctx, run.rules, Checker("tag"))
    processes = _processes(run.config, jobs, len(misses))
    now = time.time_ns()
    # a file the worker reads comes with its stat, taken as it opened the file
    stats = {rel: stat_of(path, now) for rel, path, raw in misses if raw is not None}
    if processes > 1:
        results = run_parallel(worker, [(path, rel) for rel, path, _ in misses], processes)
    else:
        results = [worker.check(Path(path), rel, raw) for rel, path, raw in misses]
    for rel, entry in results:
        run.entries[rel] = entry
        run.cache.put(rel, entry)
        if rel in stats:
            run.cache.restat(rel, stats[rel])


def _processes(config: Config, jobs: int | None, work: int) -> int:
    wanted = jobs if jobs is not None else config.lint.jobs
    if wanted == 0:
        wanted = os.cpu_count() or 1
    if work < PARALLEL_THRESHOLD or not hasattr(os, "fork"):
        return 1
    return max(1, wanted)


def _file_findings(run: Run, wanted: set[str]) -> dict[str, list[Finding]]:
    """The per-file problems of the files in `wanted` (their cache entries' lists), by file.

    None for a file `lint.ignore` matches, even one given by name: a run over
    the whole catalog reports nothing for it.
    """
    ignored = ignored_files(run.config)
    entries = run.entries
    return {
        rel: entry[1]
        for rel in wanted
        if (entry := entries.get(rel)) is not None
        and entry[1]
        and not (ignored.patterns and ignored(rel))
    }


def _cross_file_findings(
    run: Run, request: LintRequest, wanted: set[str]
) -> list[tuple[str, Finding]]:
    """The cross-file problems; those of the last run when it was over this same catalog.

    Only a run over the whole catalog, without `--against`, keeps them or
    takes them: its problems depend on nothing but the files and the day.
    """
    whole = not request.paths and run.ctx.diff is None
    key = catalog_key(run) if whole else ""
    kept = run.cache.catalog_findings(key) if whole else None
    if kept is not None:
        return kept
    stale = run.cache.load_summaries() & run.entries.keys()
    if stale:  # cached without a summary: checked again
        _check(run, [(rel, run.paths[rel], None) for rel in stale], request.jobs)
    found = list(catalog_findings(run, wanted, gone=not request.paths))
    if whole:
        run.cache.keep_catalog_findings(key, found)
    return found


def _result(
    run: Run,
    files: dict[str, list[Finding]],
    findings: list[tuple[str, Finding]],
    request: LintRequest,
    wanted: set[str],
) -> LintResult:
    result = gather(files, findings, run.rules, run.entries, run.paths, str(run.config.root))
    result.files_checked = len(wanted)
    result.held = run
    if request.baseline is not None and request.apply_baseline:
        result.violations, result.baselined = apply_baseline(
            result.violations, read_baseline(request.baseline)
        )
    return result
