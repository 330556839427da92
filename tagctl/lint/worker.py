"""Checking one file: parse, validate, run the file rules, locate problems.

Runs in worker processes on a cold lint; everything it returns is plain
data, so it can be pickled back and stored in the cache as JSON.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tagctl.catalog.positions import locate_all
from tagctl.catalog.reader import parse_into, read_source
from tagctl.catalog.schema import Checker
from tagctl.catalog.source import Source, dotted
from tagctl.lint.cache import Entry, digest
from tagctl.lint.settings import ActiveRule
from tagctl.lint.suppress import find_suppressions
from tagctl.rulekit import FileRule, LintContext, Problem, TagFile, summarize

# (code, message, hint, line, column, json path)
Finding = tuple[str, str, str, int, int, str]


@dataclass
class Worker:
    """File rules and the schema checker, built once per process."""

    ctx: LintContext
    rules: list[ActiveRule]
    checker: Checker

    def __post_init__(self) -> None:
        self.file_rules = [(a, a.rule) for a in self.rules if isinstance(a.rule, FileRule)]

    def check(self, path: Path, rel: str, raw: bytes | None = None) -> tuple[str, Entry]:
        """The cache entry of one file; with the file's stat when it is read here."""
        if raw is None:
            now = time.time_ns()  # before the file is opened, as `cache.stat_of` records it
            source = read_source(path)
        else:
            source = Source(path, raw=raw)
            parse_into(source)
        tag = TagFile(source, rel)
        if source.ok:  # an empty mapping too: it lacks every required field
            tag.schema_errors = self.checker.errors(source.data)
        problems = [
            (active.code, problem)
            for active, rule in self.file_rules
            if not (active.ignore and active.ignores(rel))
            for problem in rule.check(tag, self.ctx)
        ]
        findings = locate(source.text, problems)
        summary = summarize(tag)
        entry: Entry = [
            digest(source.raw),
            findings,
            list(summary) if summary else None,
            find_suppressions(source.text),
            {},
        ]
        if raw is None and source.stat is not None:
            entry.append([*source.stat, now])
        return rel, entry


def locate(text: str, problems: list[tuple[str, Problem]]) -> list[Finding]:
    """Give every problem a line and column, parsing the text at most once."""
    wanted = {(p.path, p.at_key) for _, p in problems if p.line is None}
    positions = locate_all(text, wanted) if wanted else {}
    findings: list[Finding] = []
    for code, problem in problems:
        if problem.line is not None:
            line, column = problem.line, problem.column or 1
        else:
            line, column = positions[(problem.path, problem.at_key)]
        findings.append(
            (code, problem.message, problem.hint or "", line, column, dotted(problem.path))
        )
    return findings


_WORKER: Worker | None = None


def _check_in_process(job: tuple[str, str]) -> tuple[str, Entry]:
    assert _WORKER is not None
    return _WORKER.check(Path(job[0]), job[1])


def run_parallel(worker: Worker, jobs: list[tuple[str, str]], processes: int) -> list[Any]:
    """Check `jobs` (path, rel) in `processes` forked processes."""
    # lazy: only a cold run over many files starts worker processes
    import multiprocessing

    global _WORKER
    _WORKER = worker  # inherited by the forked children
    context = multiprocessing.get_context("fork")
    chunk = max(16, len(jobs) // (processes * 8))
    with context.Pool(processes) as pool:
        return list(pool.imap_unordered(_check_in_process, jobs, chunksize=chunk))
