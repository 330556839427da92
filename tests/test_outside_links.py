"""A pull request cannot make tagctl show a file of the machine that checks it.

A secret file outside the catalog, holding a marker in every line and of an
odd size, is reached through symbolic links in the catalog: a tag file link,
a folder link, a link to a link. Whatever command and format runs, cold or
from the cache, neither the marker nor the size reaches stdout, stderr or
any file tagctl writes under `.tagctl/`, and tagctl never opens the file.
"""

from __future__ import annotations

import builtins
import io
import os
import re
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import gitrepo
import pytest
from clihelpers import describe, no_traceback, text_findings

from tagctl.lint.engine import LintRequest, lint

pytestmark = pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links")

Run = Callable[..., subprocess.CompletedProcess[str]]
MARKER = "tagctl-leak-marker-7f3a91"
SIZE = 7919  # bytes: a number no other output of the sample catalog contains
LINKS = (
    "tags/behavior/leak.yaml",
    "tags/profile/leak_folder",
    "tags/preference/leak_chain.yaml",
)


@pytest.fixture
def leaky(sample_catalog: Path) -> Path:
    """The sample catalog with links to a secret file and folder beside it."""
    secret = sample_catalog.parent / "runner-secrets"
    secret.mkdir()
    line = f"{MARKER}: {MARKER}\n"
    text = (
        f"name: leaked_tag\nstatus: online\nvalue_type: boolean\ntype: fact\ncategory: behavior\n"
        f"display_name: {{zh: {MARKER}, en: {MARKER}}}\ndescription: {MARKER}\n"
        f"owners: {{business: {MARKER}@example.com}}\n"
    )
    text += line * ((SIZE - len(text)) // len(line) - 1)
    text += "#" * (SIZE - len(text) - 1) + "\n"
    (secret / "credentials.yaml").write_text(text, encoding="utf-8")
    assert (secret / "credentials.yaml").stat().st_size == SIZE
    os.symlink(secret / "credentials.yaml", sample_catalog / LINKS[0])
    os.symlink(secret, sample_catalog / LINKS[1])
    os.symlink("../behavior/leak.yaml", sample_catalog / LINKS[2])
    return sample_catalog


def leaked(result: subprocess.CompletedProcess[str]) -> bool:
    return MARKER in result.stdout + result.stderr


def state_files(catalog: Path) -> Iterator[Path]:
    state = catalog / ".tagctl"
    return (path for path in state.rglob("*") if path.is_file()) if state.exists() else iter(())


def assert_state_clean(catalog: Path) -> None:
    for path in state_files(catalog):
        data = path.read_bytes()
        assert MARKER.encode() not in data, f"the secret is in {path}"
        assert b"credentials" not in data, f"the secret's name is in {path}"
        if path.suffix in (".json", ".journal"):  # as a number of its own, not inside a hash
            assert not _standalone(SIZE, data), f"the secret's size is in {path}"


def _standalone(number: int, data: bytes) -> bool:
    """Whether `number` stands in `data` as a token: hashes and nanosecond times of
    other files hold any four digits by chance (7919 was found inside an mtime)."""
    return re.search(rb"(?<![0-9A-Za-z.])%d(?![0-9A-Za-z.])" % number, data) is not None


@pytest.mark.parametrize("fmt", ["text", "json", "github", "sarif"])
def test_lint_reports_the_links_and_shows_nothing_of_the_secret(
    fmt: str, leaky: Path, run_tagctl: Run
) -> None:
    runs = [
        ("--no-cache",),  # cold, no cache written
        (),  # cold, the cache written
        (),  # warm
        ("--jobs", "2"),
        (LINKS[0],),  # a given link
    ]
    for extra in runs:
        result = run_tagctl("lint", "--format", fmt, *extra, cwd=leaky)
        no_traceback(result)
        assert result.returncode == 1, describe(result)
        assert not leaked(result), describe(result)
        assert str(SIZE) not in result.stdout + result.stderr, describe(result)
        assert "TG011" in result.stdout, describe(result)
        assert_state_clean(leaky)


def test_every_link_is_named_in_text(leaky: Path, run_tagctl: Run) -> None:
    result = run_tagctl("lint", cwd=leaky)
    findings = text_findings(result.stdout)
    for link in LINKS:
        assert [f.code for f in findings.get(link, [])] == ["TG011"], describe(result)
    walked = [path for path in findings if path.startswith(LINKS[1] + "/")]
    assert walked == [], describe(result)


@pytest.mark.parametrize(
    "command",
    [
        ["validate"],
        ["list", "-f", "json"],
        ["search", "leaked"],
        ["export", "-f", "json"],
        ["export", "-f", "csv"],
        ["codeowners"],
        ["show", "leaked_tag"],
        ["lint", "--fix", "--dry-run"],
    ],
    ids=" ".join,
)
def test_other_commands_never_show_the_secret(
    command: list[str], leaky: Path, run_tagctl: Run
) -> None:
    if command[0] == "codeowners":
        gitrepo.init(leaky)
    result = run_tagctl(*command, cwd=leaky)
    no_traceback(result)
    assert not leaked(result), describe(result)
    assert_state_clean(leaky)


def test_git_reads_links_as_links(leaky: Path, run_tagctl: Run) -> None:
    """Committed links are blobs holding a path: neither side of --against follows them."""
    gitrepo.init(leaky)
    gitrepo.commit(leaky, "links to a secret")
    (leaky / LINKS[0]).unlink()
    os.symlink(leaky.parent / "runner-secrets" / "credentials.yaml", leaky / LINKS[0])
    for command in (["lint", "--against", "HEAD"], ["diff", "--against", "HEAD"]):
        result = run_tagctl(*command, cwd=leaky)
        no_traceback(result)
        assert not leaked(result), describe(result)
    assert_state_clean(leaky)


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The real paths of the files this process opens while the test runs."""
    paths: list[str] = []
    real_os_open, real_open = os.open, builtins.open

    def os_open(path: Any, *args: Any, **kwargs: Any) -> int:
        paths.append(os.path.realpath(path))
        return real_os_open(path, *args, **kwargs)

    def any_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(file, (str, bytes, os.PathLike)):
            paths.append(os.path.realpath(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(os, "open", os_open)
    monkeypatch.setattr(builtins, "open", any_open)
    monkeypatch.setattr(io, "open", any_open)
    return paths


def test_the_secret_is_never_opened(leaky: Path, opened: list[str]) -> None:
    secret = os.path.realpath(leaky.parent / "runner-secrets")
    for cache in (False, True, True):  # without the cache, then writing it, then warm
        result = lint(LintRequest(catalog=leaky, cache=cache, jobs=1))
        assert {v.rel for v in result.violations if v.code == "TG011"} == set(LINKS)
    lint(LintRequest(paths=[leaky / LINKS[0]], catalog=leaky, jobs=1))
    touched = [path for path in opened if path.startswith(secret)]
    assert touched == [], f"opened {touched}"


def test_state_folder_linked_out_of_the_catalog_is_not_used(leaky: Path, run_tagctl: Run) -> None:
    """A committed `.tagctl` link cannot make tagctl read or write caches elsewhere."""
    elsewhere = leaky.parent / "elsewhere"
    (elsewhere / "cache").mkdir(parents=True)
    os.symlink(leaky.parent / "runner-secrets" / "credentials.yaml", elsewhere / "cache/lint.json")
    os.symlink(elsewhere, leaky / ".tagctl")
    before = sorted(path.name for path in elsewhere.rglob("*"))
    for _ in ("cold", "warm"):
        result = run_tagctl("lint", cwd=leaky)
        no_traceback(result)
        assert result.returncode == 1 and not leaked(result), describe(result)
    assert sorted(path.name for path in elsewhere.rglob("*")) == before
