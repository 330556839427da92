"""GitHub Actions workflow commands: one annotation per violation."""

from __future__ import annotations

from typing import TextIO

from tagctl.lint.result import LintResult
from tagctl.textsafe import printable


def _data(text: str) -> str:
    text = printable(text, lines=True)  # no escape sequence reaches the log
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(result: LintResult, stream: TextIO) -> None:
    for v in result.violations:
        command = "error" if v.severity == "error" else "warning"
        title = _property(f"{v.code} {v.rule}")
        message = v.message + (f" (hint: {v.hint})" if v.hint else "")
        stream.write(
            f"::{command} file={_property(v.path)},line={v.line},col={v.column},"
            f"title={title}::{_data(message)}\n"
        )
