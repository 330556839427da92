"""Human-readable lint output: grouped by file, colour only on a terminal.

Plain ANSI styling rather than rich: lint runs in pre-commit hooks where
every import shows in the latency, and four styles need no library.
"""

from __future__ import annotations

import dataclasses
import os
from collections import Counter
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
    rules: dict[str, tuple[str, str]] = {}  # code: (rule, as shown)
    hint_start = " " * 10 + paint("hint: ", "dim")[: -len(_RESET) if on else None]
    hint_end = _RESET if on else ""
    out: list[str] = []  # written at once: tens of thousands of lines on a messy catalog
    append = out.append
    seen: set[str] = set()
    last = None
    # a file's violations follow one another (they are sorted by path), else regrouped
    for path, line, column, code, severity, rule, message, hint, _, _ in result.violations:
        if path != last:
            if path in seen:
                return render_text(_grouped(result), stream, color)
            if last is not None:
                append("")
            seen.add(path)
            append(paint(printable(path), "bold", "underline"))
            last = path
        shown = rules.get(code)
        if shown is None or shown[0] != rule:
            shown = rules[code] = (rule, "  " + paint(f"{code} {rule}", "dim"))
        where = f"  {line}:{column}"
        append(
            f"{where:<10}{severities.get(severity) or f'{severity:<8}'} "
            f"{message if message.isprintable() else printable(message)}{shown[1]}"
        )
        if hint:
            append(f"{hint_start}{hint if hint.isprintable() else printable(hint)}{hint_end}")
    if seen:
        append("")
    counts = result.counts
    append(paint(summary_line(result, len(seen), counts), *_summary_style(counts)))
    stream.write("\n".join(out) + "\n")


def _grouped(result: LintResult) -> LintResult:
    """`result` with each file's violations together, in the order of their first."""
    grouped = [v for violations in result.by_file().values() for v in violations]
    return dataclasses.replace(result, violations=grouped)


_RESET = "\033[0m"


def summary_line(
    result: LintResult, files: int | None = None, counts: Counter[str] | None = None
) -> str:
    """One line of totals; `files` (with problems) and `counts` (by severity) when the
    caller has counted them."""
    if files is None:
        files = len(result.by_file())
    if counts is None:
        counts = result.counts
    if not result.violations:
        text = f"No problems in {_plural(result.files_checked, 'file')}."
    else:
        text = (
            f"{_plural(counts['error'], 'error')}, {_plural(counts['warning'], 'warning')} "
            f"in {_plural(files, 'file')} ({_plural(result.files_checked, 'file')} checked)."
        )
    extras = []
    if result.suppressed:
        extras.append(f"{result.suppressed} suppressed inline")
    if result.baselined:
        extras.append(f"{result.baselined} in the baseline")
    return text + (f" {'; '.join(extras)}." if extras else "")


def _summary_style(counts: Counter[str]) -> tuple[str, ...]:
    if counts["error"]:
        return ("bold", "red")
    return ("yellow",) if counts["warning"] else ("green",)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")
