"""Human-readable lint output: grouped by file, colour only on a terminal."""

from __future__ import annotations

from typing import TextIO

from tagctl.lint.result import LintResult

_STYLE = {"error": "bold red", "warning": "yellow"}


def render_text(result: LintResult, stream: TextIO, color: bool | None = None) -> None:
    from rich.console import Console
    from rich.markup import escape

    console = Console(
        file=stream, highlight=False, soft_wrap=True,
        force_terminal=color, no_color=(color is False), emoji=False,
    )
    for path, violations in result.by_file().items():
        console.print(f"[bold underline]{escape(path)}[/]")
        for v in violations:
            style = _STYLE.get(v.severity, "")
            console.print(
                f"  {v.line}:{v.column}".ljust(10)
                + f"[{style}]{v.severity:<8}[/] {escape(v.message)}  [dim]{v.code} {v.rule}[/]"
            )
            if v.hint:
                console.print(f"{'':10}[dim]hint: {escape(v.hint)}[/]")
        console.print()
    console.print(summary_line(result), style=_summary_style(result))


def summary_line(result: LintResult) -> str:
    files = len(result.by_file())
    if not result.violations:
        text = f"No problems in {_plural(result.files_checked, 'file')}."
    else:
        text = (
            f"{_plural(result.errors, 'error')}, {_plural(result.warnings, 'warning')} "
            f"in {_plural(files, 'file')} ({_plural(result.files_checked, 'file')} checked)."
        )
    extras = []
    if result.suppressed:
        extras.append(f"{result.suppressed} suppressed inline")
    if result.baselined:
        extras.append(f"{result.baselined} in the baseline")
    return text + (f" {'; '.join(extras)}." if extras else "")


def _summary_style(result: LintResult) -> str:
    if result.errors:
        return "bold red"
    return "yellow" if result.warnings else "green"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")
