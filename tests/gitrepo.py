"""Temporary git repositories for the tests of `--against REF`: init, commit, clone.

Git runs with no user or system configuration, so a developer's settings
(signing, hooks, default branch) cannot change what the tests see.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

GIT_ENV = {
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_SYSTEM": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "Test Author",
    "GIT_AUTHOR_EMAIL": "author@example.com",
    "GIT_COMMITTER_NAME": "Test Author",
    "GIT_COMMITTER_EMAIL": "author@example.com",
    "GIT_TERMINAL_PROMPT": "0",
}


def git(cwd: Path, *args: str) -> str:
    """Run git in `cwd`; its standard output, stripped. Fails the test on an error."""
    result = subprocess.run(
        ["git", *args],
        cwd=cwd,
        env={**os.environ, **GIT_ENV},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, f"git {' '.join(args)}: {result.stderr}"
    return result.stdout.strip()


def init(root: Path) -> None:
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "--quiet", "--initial-branch=main")


def commit(root: Path, message: str = "change") -> str:
    """Commit everything in the working tree; the new commit's id."""
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "--allow-empty", "--no-verify", "-m", message)
    return git(root, "rev-parse", "HEAD")
