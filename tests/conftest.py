"""Shared helpers of the end-to-end tests: run `tagctl` as a user would, on a copy of a catalog.

`run_tagctl(*args, cwd=...)` starts a real `python -m tagctl` process, so exit codes,
stderr and any traceback are exactly what a user sees. Tests get it, and a fresh
copy of the sample catalog, through the fixtures `run_tagctl` and `sample_catalog`;
helpers that need no fixture are in clihelpers.py.
"""

from __future__ import annotations

import os
import select
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path

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


def run_tagctl_in_terminal(
    args: list[str], cwd: Path, env: Mapping[str, str | None] | None = None
) -> tuple[int, str]:
    """Run tagctl with a pseudo-terminal as stdin, stdout and stderr: (exit code, output)."""
    pty = pytest.importorskip("pty")
    master, slave = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "tagctl", *args],
        cwd=cwd,
        env=tagctl_env({"TERM": "xterm-256color", **(env or {})}),
        stdin=slave,
        stdout=slave,
        stderr=slave,
        close_fds=True,
    )
    os.close(slave)
    output = b""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 1)
        if not ready:
            if process.poll() is not None:
                break
            continue
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the terminal's last writer is gone
            break
        if not chunk:
            break
        output += chunk
    os.close(master)
    try:
        code = process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        pytest.fail(f"`tagctl {' '.join(args)}` on a terminal did not finish")
    return code, output.decode("utf-8", errors="replace")


@pytest.fixture(name="run_tagctl")
def run_tagctl_fixture() -> Callable[..., subprocess.CompletedProcess[str]]:
    """The `run_tagctl` helper."""
    return run_tagctl


@pytest.fixture(name="run_tagctl_in_terminal")
def run_tagctl_in_terminal_fixture() -> Callable[..., tuple[int, str]]:
    """The `run_tagctl_in_terminal` helper."""
    return run_tagctl_in_terminal


@pytest.fixture
def sample_catalog(tmp_path: Path) -> Path:
    """A fresh copy of tag-catalog/ at tmp_path/tag-catalog."""
    return copy_catalog(tmp_path / "tag-catalog")
