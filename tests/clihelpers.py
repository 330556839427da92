"""Helpers of the end-to-end tests that need no fixture: tag files, parsing lint output.

`run_tagctl` and the `sample_catalog` fixture are in conftest.py.
"""

from __future__ import annotations

import re
import subprocess
from typing import NamedTuple


def tag_yaml(
    name: str, *, category: str = "behavior", extra: str = "", **fields: str | None
) -> str:
    """A valid fact tag, one field per line in a fixed order; `fields` replace values.

    The layout is fixed so that tests can name positions: name is on line 1, version 2,
    display_name 3-5, description 6 (its value at column 14), type 7, category 8,
    status 9, value_type 10, refresh 11, sensitivity 12, owners 13-15, source 16-17;
    `extra` (whole lines) starts at line 18. A value starting with a newline is a block;
    None leaves the field out.
    """
    values: dict[str, str | None] = {
        "name": name,
        "version": "1.0.0",
        "display_name": f"\n  zh: 测试标签 {name}\n  en: Test tag {name}",
        "description": "A tag written by the end-to-end tests of the tagctl command line.",
        "type": "fact",
        "category": category,
        "status": "online",
        "value_type": "boolean",
        "refresh": "daily",
        "sensitivity": "internal",
        "owners": "\n  business: qa.owner@example.com\n  data: qa.data@example.com",
        "source": "\n  system: cdp",
    }
    values.update(fields)
    lines = [
        f"{key}:{value}\n" if value.startswith("\n") else f"{key}: {value}\n"
        for key, value in values.items()
        if value is not None
    ]
    return "".join(lines) + extra


class Finding(NamedTuple):
    """One violation as the text format prints it."""

    line: int
    column: int
    severity: str
    message: str
    code: str

    @property
    def at(self) -> str:
        return f"{self.line}:{self.column}"


_FINDING = re.compile(r"  (\d+):(\d+) +(error|warning) +(.*?)  (TG\d{3}) [a-z0-9-]+")


def text_findings(output: str) -> dict[str, list[Finding]]:
    """The violations of `tagctl lint --format text` output, by file as printed."""
    found: dict[str, list[Finding]] = {}
    current = ""
    for line in output.splitlines():
        match = _FINDING.fullmatch(line)
        if match:
            number, column, severity, message, code = match.groups()
            found.setdefault(current, []).append(
                Finding(int(number), int(column), severity, message, code)
            )
        elif line and not line.startswith(" "):
            current = line
    return found


def no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    """Assert that tagctl neither crashed with a traceback nor reported an internal error."""
    for stream in (result.stdout, result.stderr):
        assert "Traceback" not in stream, describe(result)
        assert "internal error" not in stream, describe(result)


def describe(result: subprocess.CompletedProcess[str]) -> str:
    """The command, exit code and output of a run, for assertion messages."""
    command = " ".join(str(arg) for arg in result.args[3:])
    return (
        f"\n$ tagctl {command}\nexit {result.returncode}\n"
        f"--- stdout\n{result.stdout[-4000:]}\n--- stderr\n{result.stderr[-4000:]}"
    )
