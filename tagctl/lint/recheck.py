"""Linting one file's text before and after an edit, to refuse an edit that brings an error.

`deprecate`, `retire` and `lint --fix` hand their edits to this checker
(through `tagctl.edit.apply`): it runs the file rules of the configuration,
the JSON Schema included, on both texts. A finding of the new text is new
when the old text had no finding of the same rule, message and JSON path
(lines move when text is inserted, so they are not compared); findings an
inline `# tagctl: disable` comment silences count in neither text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from pathlib import Path

from tagctl.catalog.config import Config
from tagctl.lint.settings import ActiveRule, active_rules
from tagctl.lint.suppress import find_suppressions, is_suppressed
from tagctl.lint.worker import Worker
from tagctl.rulekit import Finding, LintContext


class FileChecker:
    """The file rules of one configuration, run on texts that are not (yet) on disk."""

    def __init__(self, config: Config, today: dt.date) -> None:
        self.config = config
        self.context = LintContext(config, today)
        self.active: list[ActiveRule] = active_rules(config)
        self.errors = {active.code for active in self.active if active.severity == "error"}
        self._worker: Worker | None = None
        self._seen: dict[tuple[Path, str], list[Finding]] = {}  # a file's texts, while it is fixed

    @property
    def worker(self) -> Worker:
        if self._worker is None:
            # lazy: the schema validator is built only when an edit is checked
            from tagctl.catalog.schema import Checker

            self._worker = Worker(self.context, self.active, Checker("tag"))
        return self._worker

    def rel(self, path: Path) -> str:
        """`path` relative to the catalog root, as lint names files."""
        try:
            return path.relative_to(self.config.root).as_posix()
        except ValueError:
            return path.as_posix()

    def findings(self, path: Path, text: str) -> list[Finding]:
        """The findings of `text` read as the file at `path`, without the suppressed ones."""
        if (path, text) in self._seen:
            return self._seen[path, text]
        _, entry = self.worker.check(path, self.rel(path), text.encode("utf-8"))
        suppressed = find_suppressions(text)
        found = [
            (str(code), str(message), str(hint), int(line), int(column), str(json_path))
            for code, message, hint, line, column, json_path in entry[1]
            if not is_suppressed(suppressed, int(line), str(code))
        ]
        if len(self._seen) >= 4:
            self._seen.clear()
        self._seen[path, text] = found
        return found

    def new_findings(
        self, path: Path, before: str, after: str, new_path: Path | None = None
    ) -> list[Finding]:
        """The findings of `after` (at `new_path` when renamed) that `before` did not have."""
        known = {_identity(finding) for finding in self.findings(path, before)}
        found = self.findings(new_path or path, after)
        return [finding for finding in found if _identity(finding) not in known]

    def new_errors(
        self,
        path: Path,
        before: str,
        after: str,
        new_path: Path | None = None,
        allow: Collection[str] = (),
    ) -> list[Finding]:
        """The new error-level findings, but for the rules in `allow`."""
        return [
            finding
            for finding in self.new_findings(path, before, after, new_path)
            if finding[0] in self.errors and finding[0] not in allow
        ]


def _identity(finding: Finding) -> tuple[str, str, str]:
    code, message, _, _, _, json_path = finding
    return code, message, json_path
