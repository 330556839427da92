"""Shared helpers of the end-to-end tests: run `tagctl` as a user would, on a copy of a catalog.

`run_tagctl(*args, cwd=...)` starts a real `python -m tagctl` process, so exit codes,
stderr and any traceback are exactly what a user sees. Tests get it, and a fresh
copy of the sample catalog, through the fixtures `run_tagctl` and `sample_catalog`;
helpers that need no fixture (`run_tagctl` itself among them) are in clihelpers.py.

The PostgreSQL and MariaDB tests run on the servers that TAGCTL_TEST_POSTGRES_URL
and TAGCTL_TEST_MYSQL_URL name. When a variable is not set, a server that
accepts a login on its default local port (user postgres, database test;
user root without a password, database test) is used; set the variable to an
empty value to skip those tests.
"""

from __future__ import annotations

import os
import select
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest
from clihelpers import copy_catalog, run_tagctl, tagctl_env

LOCAL_SERVERS = {
    "TAGCTL_TEST_POSTGRES_URL": ("postgresql+psycopg://postgres@127.0.0.1:5432/test", 5432),
    "TAGCTL_TEST_MYSQL_URL": ("mysql+pymysql://root@127.0.0.1:3306/test", 3306),
}


def pytest_configure(config: pytest.Config) -> None:
    """Point the server tests at the local PostgreSQL and MariaDB when they answer."""
    for variable, (url, port) in LOCAL_SERVERS.items():
        if variable not in os.environ and _answers(url, port):
            os.environ[variable] = url  # inherited by the workers and every tagctl run


def pytest_collection_finish(session: pytest.Session) -> None:
    """Stop when pytest-xdist cannot keep a group of tests on one worker.

    The groups (`xdist_group`) share what only one process may hold: a Spark
    Thrift Server, the browser and its reports, the wheel. pytest-xdist marks
    them in the node ids; a pytest that no longer lets it (9.2 did) would
    start them once per worker, unseen.
    """
    if not getattr(session.config.option, "loadgroup", False):
        return
    for item in session.items:
        if item.get_closest_marker("xdist_group") and "@" not in item.nodeid:
            raise pytest.UsageError(
                f"{item.nodeid}: its xdist_group is not honoured by this pytest and "
                "pytest-xdist; install the versions pyproject.toml allows"
            )


def _answers(url: str, port: int) -> bool:
    """A server listens on 127.0.0.1:`port` and lets `url` log in and run a query."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            pass
    except OSError:
        return False
    try:
        import sqlalchemy  # lazy: only when a server listens

        engine = sqlalchemy.create_engine(url, connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            connection.execute(sqlalchemy.text("SELECT 1"))
        engine.dispose()
    except Exception:  # no driver, refused login, no database: the tests skip
        return False
    return True


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
