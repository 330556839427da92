"""`tagctl lint --fix`: repair what the lint run found, file by file.

For each file with a problem of a fixable rule (and no YAML error), the
rules' `fix()` are applied one after the other to the text, until none
changes it. The result is linted again with the file rules: a fix must not
bring an error the file did not have (a placeholder it leaves on purpose
aside), else the file is left as it was. Accepted fixes are written
atomically and synced to disk; a rename happens within the file's folder
and never replaces another file.
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
from tagctl.errors import RuntimeFailure
from tagctl.fix.context import FixContext
from tagctl.fsutil import sync_folder
from tagctl.lint.context import LintContext, TagFile
from tagctl.lint.result import Violation
from tagctl.lint.settings import ActiveRule, active_rules
from tagctl.lint.suppress import find_suppressions, is_suppressed
from tagctl.lint.worker import Finding, Worker
from tagctl.rules.base import Fix, NoFix

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

    @property
    def renamed(self) -> bool:
        return self.new_path != self.path


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
        self.active = active_rules(config)
        self.ctx = FixContext(LintContext(config, today), {a.code: a.rule for a in self.active})
        self.fixable: dict[str, ActiveRule] = {a.code: a for a in self.active if a.rule.fixable}
        self.errors = {a.code for a in self.active if a.severity == "error"}
        self._worker: Worker | None = None

    @property
    def worker(self) -> Worker:
        if self._worker is None:
            from tagctl.catalog.schema import Checker

            self._worker = Worker(self.ctx.lint, self.active, Checker("tag"))
        return self._worker

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
        allow: set[str] = set()
        left: dict[str, str] = {}
        old = self._findings(path, rel, before)
        for _ in range(MAX_PASSES):
            if not self._pass(fix, codes, allow, left):
                break
            codes = sorted({f[0] for f in self._new(fix, old)} & set(self.fixable))
        report.left.extend(Note(path, code, reason) for code, reason in left.items())
        if fix.after == fix.before and not fix.renamed:
            return
        refusal = self._refusal(fix, old, allow)
        if refusal:
            report.left.extend(Note(path, note.code, refusal) for note in fix.notes)
            return
        self._claim(fix)
        report.fixes.append(fix)

    def _pass(
        self, fix: FileFix, codes: Sequence[str], allow: set[str], left: dict[str, str]
    ) -> bool:
        """Apply each rule's fix once; True when something changed."""
        changed = False
        for code in codes:
            tag = _tag_file(fix.after, fix.new_path, _renamed_rel(fix.new_path, fix.rel))
            outcome = self.fixable[code].rule.fix(fix.after, tag, self.ctx)
            if isinstance(outcome, NoFix):
                left.setdefault(code, outcome.reason)
            elif isinstance(outcome, Fix) and _apply(fix, outcome):
                fix.notes.append(Note(fix.path, code, outcome.note))
                allow.update(outcome.allow)
                left.pop(code, None)
                changed = True
        return changed

    def _findings(self, path: Path, rel: str, text: str) -> list[Finding]:
        _, entry = self.worker.check(path, rel, text.encode("utf-8"))
        suppressed = find_suppressions(text)
        findings = [
            (str(code), str(message), str(hint), int(line), int(column), str(json_path))
            for code, message, hint, line, column, json_path in entry[1]
        ]
        return [f for f in findings if not is_suppressed(suppressed, f[3], f[0])]

    def _new(self, fix: FileFix, old: list[Finding]) -> list[Finding]:
        """The findings of the fixed text that the original text did not have."""
        known = {_identity(f) for f in old}
        after = self._findings(fix.new_path, _renamed_rel(fix.new_path, fix.rel), fix.after)
        return [f for f in after if _identity(f) not in known]

    def _refusal(self, fix: FileFix, old: list[Finding], allow: set[str]) -> str:
        bad = [f for f in self._new(fix, old) if f[0] in self.errors and f[0] not in allow]
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


def _apply(fix: FileFix, outcome: Fix) -> bool:
    changed = False
    if outcome.text is not None and outcome.text != fix.after:
        fix.after, changed = outcome.text, True
    if outcome.rename is not None and outcome.rename != fix.new_path.name:
        fix.new_path, changed = fix.new_path.with_name(outcome.rename), True
    return changed


def _identity(finding: Finding) -> tuple[str, str, str]:
    code, message, _, _, _, json_path = finding
    return code, message, json_path


def write(report: FixReport) -> None:
    """Write every fixed file atomically and durably, then rename the renamed ones."""
    from tagctl.edit.apply import write as write_edits
    from tagctl.edit.plan import FileEdit

    for fix in report.fixes:
        write_edits([FileEdit(fix.path.stem, fix.path, fix.before, fix.after, "")])
        if fix.renamed:
            _rename(fix.path, fix.new_path)


def _rename(path: Path, target: Path) -> None:
    if os.path.lexists(target) and not _same(path, target):
        raise RuntimeFailure(f"not renamed: {target.name} exists already", path=path)
    try:
        os.replace(path, target)
    except OSError as error:
        raise RuntimeFailure(f"cannot rename: {error.strerror}", path=path) from error
    sync_folder(target.parent)


def _same(path: Path, other: Path) -> bool:
    try:
        return os.path.samefile(path, other)
    except OSError:
        return False


def diff(fix: FileFix, cwd: Path | None = None) -> str:
    """The fix as a unified diff, a rename as git shows one."""
    from tagctl.edit.apply import unified_diff
    from tagctl.edit.plan import FileEdit

    text = ""
    if fix.renamed:
        text = f"rename from {_shown(fix.path, cwd)}\nrename to {_shown(fix.new_path, cwd)}\n"
    if fix.after != fix.before:
        text += unified_diff(FileEdit(fix.path.stem, fix.path, fix.before, fix.after, ""), cwd)
    return text


def _shown(path: Path, cwd: Path | None) -> str:
    try:
        return Path(os.path.relpath(path.absolute(), (cwd or Path.cwd()).absolute())).as_posix()
    except ValueError:
        return path.as_posix()
