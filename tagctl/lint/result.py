"""The outcome of a lint run, independent of how it is shown."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class Violation:
    """One problem found: where, which rule, how severe, what to do."""

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
        return Counter(v.severity for v in self.violations)

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
            grouped.setdefault(violation.path, []).append(violation)
        return grouped
