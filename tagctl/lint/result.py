"""The outcome of a lint run, independent of how it is shown."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Sequence
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
        return 1 if self.errors else 0

    def by_file(self) -> dict[str, list[Violation]]:
        grouped: dict[str, list[Violation]] = {}
        for violation in self.violations:
            if violation.path in grouped:
                grouped[violation.path].append(violation)
            else:
                grouped[violation.path] = [violation]
        return grouped


def gather(
    findings: Sequence[tuple[str, Finding]],
    rules: Sequence[ActiveRule],
    entries: dict[str, Any],
    paths: dict[str, str],
    root: str,
) -> LintResult:
    """The violations of `findings` (file, finding), sorted, but for the suppressed ones.

    `entries` are the files' cache entries (their suppressions at index 3);
    `paths` the files' paths by catalog-relative name.
    """
    severities = {active.code: active.severity for active in rules}
    names = {active.code: active.rule.name for active in rules}
    violations: list[Violation] = []
    suppressed = 0
    cwd = os.getcwd()
    shown: dict[str, str] = {}
    for rel, (code, message, hint, line, column, json_path) in findings:
        entry = entries.get(rel)
        if entry is not None and entry[3] and is_suppressed(entry[3], line, code):
            suppressed += 1
            continue
        path = shown.get(rel)
        if path is None:
            path = shown[rel] = _display(paths.get(rel) or os.path.join(root, rel), cwd)
        severity, name = severities[code], names[code]
        violations.append(
            Violation(path, line, column, code, severity, name, message, hint, json_path, rel)
        )
    violations.sort()
    return LintResult(violations=violations, suppressed=suppressed, catalog_root=root)


def _display(path: str, cwd: str) -> str:
    """`path` as the user would type it from the current folder."""
    if path.startswith(cwd + os.sep):
        return path[len(cwd) + 1 :]
    return path
