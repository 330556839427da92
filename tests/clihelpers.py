"""Helpers of the end-to-end tests that need no fixture: tag files, parsing lint output.

`run_tagctl` starts a real `python -m tagctl` process; the fixtures `run_tagctl` and
`sample_catalog` of conftest.py hand it and a fresh catalog copy to tests.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_CATALOG = ROOT / "tag-catalog"

# Variables of the caller's environment that would change what tagctl prints.
_NEUTRAL_ENV = ("NO_COLOR", "FORCE_COLOR", "CLICOLOR_FORCE", "TAGCTL_DEBUG", "TTY_COMPATIBLE")


def tagctl_env(extra: Mapping[str, str | None] | None = None) -> dict[str, str]:
    """The environment of a tagctl process: this checkout first on the path, no colour forcing.

    In `extra`, a value of None removes the variable.
    """
    env = {key: value for key, value in os.environ.items() if key not in _NEUTRAL_ENV}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env["PYTHONIOENCODING"] = "utf-8"
    for key, value in (extra or {}).items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def run_tagctl(
    *args: str | os.PathLike[str],
    cwd: str | os.PathLike[str] | None = None,
    env: Mapping[str, str | None] | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """Run `python -m tagctl ARGS` in `cwd`; fail the test (not hang it) after `timeout` s."""
    command = [sys.executable, "-m", "tagctl", *(os.fspath(arg) for arg in args)]
    try:
        return subprocess.run(
            command,
            cwd=cwd,
            env=tagctl_env(env),
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"`tagctl {' '.join(command[3:])}` did not finish within {timeout} s")


def copy_catalog(destination: Path) -> Path:
    """A copy of the sample catalog at `destination`, without its local state (.tagctl/)."""
    shutil.copytree(SAMPLE_CATALOG, destination, ignore=shutil.ignore_patterns(".tagctl"))
    return destination


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
