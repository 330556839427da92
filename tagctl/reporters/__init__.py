"""Renderers of lint results: text, json, sarif, github. None of them checks anything."""

from __future__ import annotations

from typing import TextIO

from tagctl.lint.result import LintResult

FORMATS = ("text", "json", "sarif", "github")


def render(result: LintResult, fmt: str, stream: TextIO, color: bool | None = None) -> None:
    """Write `result` to `stream` in format `fmt` (one of FORMATS)."""
    if fmt == "text":
        from tagctl.reporters.text import render_text

        render_text(result, stream, color)
    elif fmt == "json":
        from tagctl.reporters.json import render_json

        render_json(result, stream)
    elif fmt == "sarif":
        from tagctl.reporters.sarif import render_sarif

        render_sarif(result, stream)
    elif fmt == "github":
        from tagctl.reporters.github import render_github

        render_github(result, stream)
    else:
        raise ValueError(f"unknown format {fmt!r}")
