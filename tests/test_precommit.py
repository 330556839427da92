"""The hook of .pre-commit-hooks.yaml, run by the real pre-commit framework."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow

GOOD = (ROOT / "tag-catalog" / "tags" / "behavior" / "visit_product_30d.yaml").read_text(
    encoding="utf-8"
)


def git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not (ROOT / ".git").exists() or shutil.which("git") is None:
        pytest.skip("needs a git checkout of tagctl")
    path = tmp_path_factory.mktemp("user-repo")
    shutil.copy(ROOT / "tag-catalog" / "tagctl.yaml", path / "tagctl.yaml")
    good = path / "tags" / "behavior" / "visit_product_30d.yaml"
    good.parent.mkdir(parents=True)
    good.write_text(GOOD, encoding="utf-8")
    bad = path / "tags" / "behavior" / "vist_product_30d.yaml"
    bad.write_text(GOOD.replace("name: visit_product_30d", "name: vist_product_30d"), "utf-8")
    git("init", "-q", cwd=path)
    git("add", ".", cwd=path)
    return path


def try_repo(repo: Path, *files: str, home: Path) -> subprocess.CompletedProcess[str]:
    # PIP_COMPILE=no: the hook's environment is used once; byte-compiling it costs seconds
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1", "PIP_COMPILE": "no"}
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pre_commit",
            "try-repo",
            str(ROOT),
            "tagctl-lint",
            "--files",
            *files,
            "--color",
            "never",
        ],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
    )


def test_hook_passes_a_good_tag_and_fails_a_bad_one(repo: Path, tmp_path: Path) -> None:
    home = tmp_path / "pre-commit-home"
    passed = try_repo(repo, "tags/behavior/visit_product_30d.yaml", home=home)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Passed" in passed.stdout
    failed = try_repo(repo, "tags/behavior/vist_product_30d.yaml", home=home)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "TG203" in failed.stdout and "did you mean 'visit'?" in failed.stdout
    assert "TG301" not in failed.stdout  # references resolve against the whole catalog
