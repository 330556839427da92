"""The cross-file pass of a lint run: the catalog rules over every tag's summary.

`catalog_findings` runs them; `catalog_key` names the catalog they ran over,
so that a run over the same files on the same day can take their problems
from the cache instead.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

from tagctl.catalog.positions import locate_all
from tagctl.catalog.reader import read_regular
from tagctl.catalog.source import dotted
from tagctl.lint.cache import digest
from tagctl.lint.run import Run
from tagctl.lint.settings import ignored_files
from tagctl.rulekit import CatalogIndex, CatalogRule, Finding, Problem, TagSummary


def catalog_key(run: Run) -> str:
    """The day, and every file's name and digest (the cache key covers the configuration)."""
    entries = run.entries
    none = [""]
    parts = [run.ctx.today.isoformat()]
    parts.extend(f"{rel}\0{entries.get(rel, none)[0]}" for rel in sorted(run.paths))
    return digest("\n".join(parts).encode("utf-8", "surrogatepass"))


def catalog_findings(run: Run, wanted: set[str], gone: bool) -> Iterator[tuple[str, Finding]]:
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

    focus = None if gone or wanted >= catalog else wanted & catalog
    _cross_check(run, CatalogIndex(members, focus), ours, pending)
    if extras:
        outside = {summary.rel for summary in extras} & wanted
        _cross_check(run, CatalogIndex(members + extras, outside), outside.__contains__, pending)
    for rel, problems in pending.items():
        yield from _place(run, rel, problems)


def _cross_check(
    run: Run,
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


def _gone(run: Run, rel: str) -> bool:
    """A file that is not in the working tree (a tag removed since the `--against` ref)."""
    return rel not in run.paths and not ignored_files(run.config)(rel)


def _place(
    run: Run, rel: str, problems: list[tuple[str, Problem]]
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
