"""The outcome of a lint run, independent of how it is shown."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from typing import TYPE_CHECKING, Any, NamedTuple

from tagctl.lint.suppress import is_suppressed
from tagctl.rulekit import Finding

if TYPE_CHECKING:
    from tagctl.lint.settings import ActiveRule


class Violation(NamedTuple):
    """One problem found: where, which rule, how severe, what to do.

    A named tuple: a messy catalog has tens of thousands, made and sorted
    (by file, line, column, rule) at C speed.
    """

    path: str
    line: int
    column: int
    code: str
    severity: str
    rule: str
    message: str
    hint: str = ""
    json_path: str = ""
    rel: str = ""  # the file relative to the catalog root, for baselines

    @property
    def location(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


_SEVERITY = attrgetter("severity")


@dataclass
class LintResult:
    """Violations of one run, plus what the run looked at."""

    violations: list[Violation] = field(default_factory=list)
    files_checked: int = 0
    files_cached: int = 0
    baselined: int = 0
    suppressed: int = 0
    catalog_root: str = ""
    # What the run read and built (its cache entries), held as long as the result: a
    # command that exits once the result is shown never spends time freeing it.
    held: object = field(default=None, repr=False, compare=False)

    @property
    def counts(self) -> Counter[str]:
        return Counter(map(_SEVERITY, self.violations))

    @property
    def errors(self) -> int:
        return self.counts["error"]

    @property
    def warnings(self) -> int:
        return self.counts["warning"]

    @property
    def exit_code(self) -> int:
        return 1 if "error" in map(_SEVERITY, self.violations) else 0

    def by_file(self) -> dict[str, list[Violation]]:
        grouped: dict[str, list[Violation]] = {}
        for violation in self.violations:
            if violation.path in grouped:
                grouped[violation.path].append(violation)
            else:
                grouped[violation.path] = [violation]
        return grouped


def gather(
    files: dict[str, list[Finding]],
    findings: Iterable[tuple[str, Finding]],
    rules: Sequence[ActiveRule],
    entries: dict[str, Any],
    paths: dict[str, str],
    root: str,
) -> LintResult:
    """The violations of `files` (each file's findings, left as they are) and of the
    other `findings` (file, finding), sorted, but for the suppressed ones.

    `entries` are the files' cache entries (their suppressions at index 3);
    `paths` the files' paths by catalog-relative name. Sorted file by file:
    the violations of two files differ in their path, which comes first.
    """
    severities = {active.code: active.severity for active in rules}
    names = {active.code: active.rule.name for active in rules}
    more: dict[str, list[Finding]] = {}
    for rel, finding in findings:
        more.setdefault(rel, []).append(finding)
    grouped = dict(files)
    for rel, found in more.items():
        grouped[rel] = [*grouped[rel], *found] if rel in grouped else found
    cwd = os.getcwd()
    shown = sorted(
        (_display(paths.get(rel) or os.path.join(root, rel), cwd), rel) for rel in grouped
    )
    violations: list[Violation] = []
    suppressed = 0
    new = tuple.__new__  # Violation(...) without its Python-level __new__
    for path, rel in shown:
        entry = entries.get(rel)
        marks = entry[3] if entry is not None else None
        made = []
        for code, message, hint, line, column, json_path in grouped[rel]:
            if marks and is_suppressed(marks, line, code):
                suppressed += 1
                continue
            severity, name = severities[code], names[code]
            row = (path, line, column, code, severity, name, message, hint, json_path, rel)
            made.append(new(Violation, row))
        if len(made) > 1:
            made.sort()
        violations += made
    return LintResult(violations=violations, suppressed=suppressed, catalog_root=root)


def _display(path: str, cwd: str) -> str:
    """`path` as the user would type it from the current folder."""
    if path.startswith(cwd + os.sep):
        return path[len(cwd) + 1 :]
    return path
