"""`tagctl lint --fix`: repair what the lint run found, file by file.

For each file with a problem of a fixable rule (and no YAML error), the
rules' fixes are carried out one after the other on the text
(`tagctl.edit.fixes`), until none changes it. The result is linted again
with the file rules: a fix must not bring an error the file did not have (a
placeholder it leaves on purpose aside), else the file is left as it was.
Accepted fixes go through the editor's commit pipeline
(`tagctl.edit.apply`): written atomically and synced to disk; a rename
happens within the file's folder and never replaces another file.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tagctl.catalog.config import Config
from tagctl.catalog.reader import parse_into
from tagctl.catalog.source import Source
from tagctl.edit import apply
from tagctl.edit.fixes import Applied, apply_fix
from tagctl.edit.plan import FileEdit
from tagctl.lint.recheck import FileChecker
from tagctl.lint.result import Violation
from tagctl.lint.settings import ActiveRule
from tagctl.rulekit import Fix, FixContext, NoFix, TagFile

# Problems that make a file unsafe to edit: it is not YAML the editor can read.
UNREADABLE = ("TG001", "TG002", "TG003", "TG004", "TG008", "TG009")
MAX_PASSES = 3


@dataclass(frozen=True)
class Note:
    """One line of the report: a fix made, or why a problem was left."""

    path: Path
    code: str
    text: str


@dataclass
class FileFix:
    """One file before and after its fixes."""

    path: Path
    rel: str
    before: str
    after: str
    new_path: Path
    notes: list[Note] = field(default_factory=list)
    allow: set[str] = field(default_factory=set)

    @property
    def renamed(self) -> bool:
        return self.new_path != self.path

    def edit(self) -> FileEdit:
        """The fix as an edit for the commit pipeline."""
        allow = tuple(sorted(self.allow))
        return FileEdit(
            self.path.stem, self.path, self.before, self.after, "", self.new_path, allow
        )


@dataclass
class FixReport:
    fixes: list[FileFix] = field(default_factory=list)
    left: list[Note] = field(default_factory=list)  # fixable problems not fixed, with why

    @property
    def notes(self) -> list[Note]:
        return [note for fix in self.fixes for note in fix.notes]


class Fixer:
    """The fixable rules of one configuration, and a file-rule linter to re-check with."""

    def __init__(self, config: Config, today: dt.date) -> None:
        self.config = config
        self.checker = FileChecker(config, today)
        active = self.checker.active
        self.ctx = FixContext(self.checker.context, {a.code: a.rule for a in active})
        self.fixable: dict[str, ActiveRule] = {a.code: a for a in active if a.rule.fixable}

    def plan(self, violations: Iterable[Violation]) -> FixReport:
        """What fixing the files of `violations` would change; nothing is written."""
        report = FixReport()
        for rel, codes in _codes_by_file(violations).items():
            wanted = sorted(codes & set(self.fixable))
            if not wanted:
                continue
            path = self._path(rel)
            broken = sorted(codes & set(UNREADABLE))
            if broken:
                reason = f"the file has YAML problems ({', '.join(broken)}); fix those first"
                report.left.extend(Note(path, code, reason) for code in wanted)
                continue
            self._plan_file(report, path, rel, wanted)
        return report

    def _path(self, rel: str) -> Path:
        return Path(rel) if os.path.isabs(rel) else self.config.root / rel

    def _plan_file(self, report: FixReport, path: Path, rel: str, codes: Sequence[str]) -> None:
        try:
            before = path.read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError) as error:
            report.left.extend(Note(path, code, f"cannot read the file: {error}") for code in codes)
            return
        fix = FileFix(path, rel, before, before, path)
        left: dict[str, str] = {}
        for _ in range(MAX_PASSES):
            if not self._pass(fix, codes, left):
                break
            new = self.checker.new_findings(path, before, fix.after, fix.new_path)
            codes = sorted({finding[0] for finding in new} & set(self.fixable))
        report.left.extend(Note(path, code, reason) for code, reason in left.items())
        if fix.after == fix.before and not fix.renamed:
            return
        refusal = self._refusal(fix)
        if refusal:
            report.left.extend(Note(path, note.code, refusal) for note in fix.notes)
            return
        self._claim(fix)
        report.fixes.append(fix)

    def _pass(self, fix: FileFix, codes: Sequence[str], left: dict[str, str]) -> bool:
        """Carry out each rule's fix once; True when something changed."""
        changed = False
        for code in codes:
            tag = _tag_file(fix.after, fix.new_path, _renamed_rel(fix.new_path, fix.rel))
            wanted = self.fixable[code].rule.fix(tag, self.ctx)
            outcome = apply_fix(fix.after, wanted) if isinstance(wanted, Fix) else wanted
            if isinstance(outcome, NoFix):
                left.setdefault(code, outcome.reason)
            elif isinstance(wanted, Fix) and outcome is not None and _apply(fix, outcome):
                fix.notes.append(Note(fix.path, code, wanted.note))
                fix.allow.update(wanted.allow)
                left.pop(code, None)
                changed = True
        return changed

    def _refusal(self, fix: FileFix) -> str:
        bad = apply.new_errors(self.checker, fix.edit())
        if not bad:
            return ""
        found = "; ".join(
            f"{line}:{column}: {message} ({code})" for code, message, _, line, column, _ in bad
        )
        return f"the result would not pass lint: {found}"

    def _claim(self, fix: FileFix) -> None:
        """Tell the catalog's names what this fix changes, for the files after it."""
        if "TG005" not in {note.code for note in fix.notes}:
            return
        names = self.ctx.names
        if fix.renamed:
            names.renamed(str(fix.path), str(fix.new_path))
        else:
            names.renamed(str(fix.path), str(fix.path), new_name=fix.path.stem)


def _codes_by_file(violations: Iterable[Violation]) -> Mapping[str, set[str]]:
    found: dict[str, set[str]] = {}
    for violation in violations:
        found.setdefault(violation.rel or violation.path, set()).add(violation.code)
    return found


def _renamed_rel(path: Path, old_rel: str) -> str:
    """`old_rel` with the file name of `path`."""
    folder, _, _ = old_rel.rpartition("/")
    return f"{folder}/{path.name}" if folder else path.name


def _tag_file(text: str, path: Path, rel: str) -> TagFile:
    source = Source(path, raw=text.encode("utf-8"))
    parse_into(source)
    return TagFile(source, rel)


def _apply(fix: FileFix, outcome: Applied) -> bool:
    changed = False
    if outcome.text != fix.after:
        fix.after, changed = outcome.text, True
    if outcome.rename is not None and outcome.rename != fix.new_path.name:
        fix.new_path, changed = fix.new_path.with_name(outcome.rename), True
    return changed


def write(report: FixReport) -> None:
    """Write every fixed file atomically and durably, then rename the renamed ones."""
    apply.write([fix.edit() for fix in report.fixes])


def diff(fix: FileFix, cwd: Path | None = None) -> str:
    """The fix as a unified diff, a rename as git shows one."""
    return apply.unified_diff(fix.edit(), cwd)
