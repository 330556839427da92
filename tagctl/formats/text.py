"""Human-readable lint output: grouped by file, colour only on a terminal.

Plain ANSI styling rather than rich: lint runs in pre-commit hooks where
every import shows in the latency, and four styles need no library.
"""

from __future__ import annotations

import os
from typing import TextIO

from tagctl.lint.result import LintResult
from tagctl.textsafe import printable

_CODES = {"bold": "1", "dim": "2", "underline": "4", "red": "31", "yellow": "33", "green": "32"}
_SEVERITY = {"error": ("bold", "red"), "warning": ("yellow",)}


def use_color(stream: TextIO, requested: bool | None) -> bool:
    """Colour when asked, else on a terminal, unless NO_COLOR is set."""
    if requested is not None:
        return requested
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return hasattr(stream, "isatty") and stream.isatty()


def render_text(result: LintResult, stream: TextIO, color: bool | None = None) -> None:
    on = use_color(stream, color)

    def paint(text: str, *styles: str) -> str:
        if not on or not styles:
            return text
        return f"\033[{';'.join(_CODES[s] for s in styles)}m{text}\033[0m"

    severities = {name: paint(f"{name:<8}", *styles) for name, styles in _SEVERITY.items()}
    rules: dict[tuple[str, str], str] = {}
    pad = " " * 10
    grouped = result.by_file()
    out: list[str] = []  # written at once: tens of thousands of lines on a messy catalog
    for path, violations in grouped.items():
        out.append(paint(printable(path), "bold", "underline"))
        for v in violations:
            rule = rules.get((v.code, v.rule))
            if rule is None:
                rule = rules[v.code, v.rule] = paint(f"{v.code} {v.rule}", "dim")
            severity = severities.get(v.severity) or f"{v.severity:<8}"
            where = f"  {v.line}:{v.column}"
            out.append(f"{where:<10}{severity} {printable(v.message)}  {rule}")
            if v.hint:
                out.append(pad + paint(f"hint: {printable(v.hint)}", "dim"))
        out.append("")
    out.append(paint(summary_line(result, len(grouped)), *_summary_style(result)))
    stream.write("\n".join(out) + "\n")


def summary_line(result: LintResult, files: int | None = None) -> str:
    """One line of totals; `files` (with problems) when the caller has counted them."""
    if files is None:
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


def _summary_style(result: LintResult) -> tuple[str, ...]:
    if result.errors:
        return ("bold", "red")
    return ("yellow",) if result.warnings else ("green",)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")
