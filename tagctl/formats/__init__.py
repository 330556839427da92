"""Output formats: how every command prints what it found. None of them checks anything.

Lint results: `text`, `json`, `sarif`, `github` (chosen by `render` below).
KPIs and SQL: `kpi`; a tag's profile: `profile`; listings, search hits and
`show`: `catalog`; dependencies: `deps`; the catalog diff: `diff`; exports
(dictionary, CSV, DataHub): `export`.
"""

from __future__ import annotations

from typing import TextIO

from tagctl.lint.result import LintResult

FORMATS = ("text", "json", "sarif", "github")


def render(result: LintResult, fmt: str, stream: TextIO, color: bool | None = None) -> None:
    """Write `result` to `stream` in format `fmt` (one of FORMATS)."""
    if fmt == "text":
        from tagctl.formats.text import render_text  # lazy: only the format printed

        render_text(result, stream, color)
    elif fmt == "json":
        from tagctl.formats.json import render_json  # lazy: only the format printed

        render_json(result, stream)
    elif fmt == "sarif":
        from tagctl.formats.sarif import render_sarif  # lazy: only the format printed

        render_sarif(result, stream)
    elif fmt == "github":
        from tagctl.formats.github import render_github  # lazy: only the format printed

        render_github(result, stream)
    else:
        raise ValueError(f"unknown format {fmt!r}")
