"""`tagctl lint` and `tagctl validate`."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from tagctl.cli.options import (
    CatalogOption,
    ColorOption,
    ConfigOption,
    FormatOption,
    OutputOption,
    Paths,
    check_format,
    checked_output,
    open_output,
)
from tagctl.errors import UsageError

if TYPE_CHECKING:
    from tagctl.fix.run import FixReport
    from tagctl.lint.engine import LintRequest
    from tagctl.lint.result import LintResult

LINT_EPILOG = """Examples:

\b
  tagctl lint                               # the whole catalog
  tagctl lint tags/behavior/visit_product_30d.yaml
  tagctl lint --format github               # GitHub Actions annotations
  tagctl lint --format sarif -o lint.sarif  # code scanning
  tagctl lint --write-baseline base.json    # adopt on a messy catalog...
  tagctl lint --baseline base.json          # ...then only new ones fail
  tagctl lint --against origin/main         # versions and lifecycle (TG41x)
  tagctl lint --fix --dry-run               # show the repairs as a diff
  tagctl lint --fix                         # ...made in place
  tagctl lint --explain TG201
"""

VALIDATE_EPILOG = """Examples:

\b
  tagctl validate                           # every tag file against the schema
  tagctl validate tags/profile/skin_type.yaml
"""

FORMATS = ["text", "json", "sarif", "github"]


def register(app: typer.Typer) -> None:
    app.command(epilog=LINT_EPILOG)(lint)
    app.command(epilog=VALIDATE_EPILOG)(validate)


def lint(
    paths: Annotated[list[Path] | None, Paths] = None,
    catalog: Annotated[Path | None, CatalogOption] = None,
    config: Annotated[Path | None, ConfigOption] = None,
    fmt: Annotated[str, FormatOption] = "text",
    output: Annotated[Path | None, OutputOption] = None,
    baseline: Annotated[
        Path | None,
        typer.Option(
            "--baseline",
            metavar="FILE",
            help="Ignore the violations recorded in FILE.",
        ),
    ] = None,
    write_baseline: Annotated[
        Path | None,
        typer.Option(
            "--write-baseline",
            metavar="FILE",
            help="Record every current violation in FILE; exit 0.",
            callback=checked_output,
        ),
    ] = None,
    explain: Annotated[
        str | None,
        typer.Option(
            "--explain",
            metavar="CODE",
            help="Print the documentation of rule CODE.",
        ),
    ] = None,
    against: Annotated[
        str | None,
        typer.Option(
            "--against",
            metavar="REF",
            help="Compare with git REF: versions, lifecycle, removals (TG410-TG414, TG416).",
        ),
    ] = None,
    fix: Annotated[
        bool,
        typer.Option("--fix", help="Repair in place what has one clear repair (see --list-rules)."),
    ] = False,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", "--diff", help="With --fix: print the diff, write nothing."),
    ] = False,
    list_rules: Annotated[bool, typer.Option("--list-rules", help="List every rule.")] = False,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Check every file afresh.")] = False,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            "-j",
            min=0,
            help="Worker processes (0: one per core).",
        ),
    ] = None,
    color: Annotated[bool | None, ColorOption] = None,
    today: Annotated[str | None, typer.Option("--today", hidden=True)] = None,
) -> None:
    """Check tag files: YAML, schema, naming, references, lifecycle, metadata.

    With --fix, the problems that have one clear repair are repaired in
    place first (only what must change changes; the result is checked
    again before it is written) and the rest is reported. Exit 0 when
    nothing is at error level, 1 when something is, 2 for a usage or
    configuration error.
    """
    # lazy: a command loads only what it runs, so that start-up stays fast
    from tagctl.formats import render
    from tagctl.lint.baseline import write_baseline as save_baseline
    from tagctl.lint.engine import LintRequest
    from tagctl.lint.engine import lint as run_lint

    if explain is not None:
        _explain(explain)
        return
    if list_rules:
        _list_rules()
        return
    check_format(fmt, FORMATS)
    _check_fix_flags(fix, dry_run, write_baseline)
    request = LintRequest(
        paths=paths or [],
        catalog=catalog,
        config=config,
        cache=not no_cache,
        jobs=jobs,
        baseline=baseline,
        today=_date(today),
        apply_baseline=write_baseline is None,
        against=against,
    )
    result = run_lint(request)
    if write_baseline is not None:
        save_baseline(write_baseline, result.violations)
        sys.stderr.write(f"tagctl: wrote {len(result.violations)} violations to {write_baseline}\n")
        return
    if fix:
        result = _fix(request, result, dry_run, output)
    with open_output(output) as stream:
        render(result, fmt, stream, color)
    raise typer.Exit(result.exit_code)


def validate(
    paths: Annotated[list[Path] | None, Paths] = None,
    catalog: Annotated[Path | None, CatalogOption] = None,
    fmt: Annotated[str, FormatOption] = "text",
    output: Annotated[Path | None, OutputOption] = None,
    color: Annotated[bool | None, ColorOption] = None,
) -> None:
    """Check tag files against the JSON Schema only: the fast subset of lint."""
    # lazy: a command loads only what it runs, so that start-up stays fast
    from tagctl.formats import render
    from tagctl.lint.engine import LintRequest
    from tagctl.lint.engine import lint as run_lint
    from tagctl.rules import registry

    check_format(fmt, FORMATS)
    schema_codes = [c for c in registry() if c[:3] in ("TG0", "TG1") and c not in _NOT_SCHEMA]
    request = LintRequest(
        paths=paths or [], catalog=catalog, cache=False, only=schema_codes, cross_file=False
    )
    result = run_lint(request)
    with open_output(output) as stream:
        render(result, fmt, stream, color)
    raise typer.Exit(result.exit_code)


_NOT_SCHEMA = {"TG005", "TG006", "TG106"}


def _check_fix_flags(fix: bool, dry_run: bool, write_baseline: Path | None) -> None:
    if dry_run and not fix:
        raise UsageError("--dry-run goes with --fix")
    if fix and write_baseline is not None:
        raise UsageError("--fix and --write-baseline do not go together; fix first")


def _fix(
    request: LintRequest, result: LintResult, dry_run: bool, output: Path | None
) -> LintResult:
    """Repair what `result` found and return the findings that remain.

    With `dry_run`, print the repairs as a diff and exit with the code of the
    files as they are.
    """
    # lazy: a command loads only what it runs, so that start-up stays fast
    from tagctl.catalog.config import load_catalog_config
    from tagctl.fix.run import Fixer, diff, write
    from tagctl.lint.engine import lint as run_lint

    config = load_catalog_config(request.catalog, request.config, request.paths)
    report = Fixer(config, request.today or dt.date.today()).plan(result.violations)
    if dry_run:
        with open_output(output) as stream:
            stream.writelines(diff(fix) for fix in report.fixes)
        _report_fixes(report, "would fix")
        raise typer.Exit(result.exit_code)
    write(report)
    _report_fixes(report, "fixed")
    if not report.fixes:
        return result
    moved = {fix.path.absolute(): fix.new_path for fix in report.fixes if fix.renamed}
    paths = [moved.get(path.absolute(), path) for path in request.paths]
    return run_lint(dataclasses.replace(request, paths=paths))


def _report_fixes(report: FixReport, done: str) -> None:
    """One line per fix made and per fixable problem left alone, on stderr."""
    from tagctl.fsutil import shown_path  # lazy: tempfile and friends cost start-up

    for note in report.notes:
        sys.stderr.write(f"tagctl: {done} {shown_path(note.path)}: {note.code} {note.text}\n")
    for note in report.left:
        sys.stderr.write(f"tagctl: not fixed {shown_path(note.path)}: {note.code} {note.text}\n")


def _date(text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise UsageError(f"--today: '{text}' is not a date like 2026-11-23") from exc


def _explain(code: str) -> None:
    # lazy: a command loads only what it runs, so that start-up stays fast
    from tagctl.rules import registry

    rule = registry().get(code.upper())
    if rule is None:
        raise UsageError(f"unknown rule '{code}' (see tagctl lint --list-rules)")
    options = _options_text(rule)
    typer.echo(f"{rule.code} {rule.name} (default severity: {rule.severity}, {rule.scope})\n")
    typer.echo(rule.documentation())
    typer.echo(f"\nFix: {rule.hint}")
    if rule.fixable:
        typer.echo("`tagctl lint --fix` repairs it where the repair is unambiguous.")
    if options:
        typer.echo(f"\nDefault options: {options}")


def _options_text(rule: type) -> str:
    options = getattr(rule, "Options", None)
    if options is None:
        return ""
    return ", ".join(f"{f.name}={f.default!r}" for f in dataclasses.fields(options))


def _list_rules() -> None:
    # lazy: a command loads only what it runs, so that start-up stays fast
    from tagctl.rules import registry

    for code, rule in registry().items():
        fixable = "fix" if rule.fixable else ""
        typer.echo(f"{code}  {rule.name:<26} {rule.severity:<8} {fixable:<4}{rule.summary()}")
