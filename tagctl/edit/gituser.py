"""Who is making an edit: the default of `--by`.

`git config user.email` in the catalog's folder, else `git config
user.name` (spaces become dots, so that it is a valid owner handle), else
the login name ($USER). None when none of them gives a valid owner.
"""

from __future__ import annotations

import getpass
import os
import re
import subprocess
from pathlib import Path

# schemas/tag.schema.json, $defs/owner: the domain up to its first dot is matched without
# backtracking, so a long owner cannot make a check take quadratic time
OWNER = re.compile(r"[^\s@]+(@[^\s@][^\s@.]*\.[^\s@]+)?")


def default_author(folder: Path) -> str | None:
    """The first valid owner handle among git's user.email, user.name and the login."""
    for candidate in (_git(folder, "user.email"), _git(folder, "user.name"), _login()):
        handle = ".".join(candidate.split()) if candidate else ""
        if handle and OWNER.fullmatch(handle):
            return handle
    return None


def _git(folder: Path, key: str) -> str:
    try:
        result = subprocess.run(
            ["git", "config", "--get", key],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return result.stdout.strip() if result.returncode == 0 else ""


def _login() -> str:
    try:
        return os.environ.get("USER") or getpass.getuser()
    except (KeyError, OSError):
        return ""
