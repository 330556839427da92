"""Reading a catalog at a git ref: one process for the contents, clear errors, shallow clones."""

from __future__ import annotations

import subprocess
from pathlib import Path

import gitrepo
import pytest

from tagctl.errors import UsageError
from tagctl.git import Repository, blob_id


def _repo_with_files(root: Path, count: int) -> Repository:
    gitrepo.init(root)
    folder = root / "catalog" / "tags" / "behavior"
    folder.mkdir(parents=True)
    for index in range(count):
        (folder / f"tag_{index:03d}.yaml").write_text(f"name: tag_{index:03d}\n", "utf-8")
    (folder / ".hidden.yaml").write_text("name: hidden\n", "utf-8")
    (root / "README.md").write_text("outside the folder\n", "utf-8")
    gitrepo.commit(root, "base")
    return Repository.find(root / "catalog")


def test_top_is_found_from_a_subfolder(tmp_path: Path) -> None:
    repo = _repo_with_files(tmp_path, 1)
    assert repo.top.resolve() == tmp_path.resolve()
    assert repo.relative(tmp_path / "catalog" / "tags") == "catalog/tags"


def test_blobs_and_contents_in_one_cat_file_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = _repo_with_files(tmp_path, 120)
    commit = repo.resolve("HEAD")
    calls: list[list[str]] = []
    real_run = subprocess.run

    def counting_run(args: list[str], **kwargs: object) -> object:
        calls.append(list(args))
        return real_run(args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(subprocess, "run", counting_run)
    blobs = repo.blobs(commit, "catalog/tags")
    contents = repo.contents(blob.oid for blob in blobs)
    assert len(blobs) == 121  # the hidden file is listed; the catalog reader skips it
    assert [call[1] for call in calls] == ["ls-tree", "cat-file"]
    first = next(blob for blob in blobs if blob.path.endswith("tag_000.yaml"))
    assert contents[first.oid] == b"name: tag_000\n"
    assert blob_id(contents[first.oid], first.oid) == first.oid
    assert not any(blob.path == "README.md" for blob in blobs)


def test_outside_a_repository(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="not inside a git repository"):
        Repository.find(tmp_path)


def test_missing_ref(tmp_path: Path) -> None:
    repo = _repo_with_files(tmp_path, 1)
    with pytest.raises(UsageError, match="ref origin/main not found in the repository"):
        repo.resolve("origin/main")


def test_option_like_ref_is_refused(tmp_path: Path) -> None:
    repo = _repo_with_files(tmp_path, 1)
    with pytest.raises(UsageError, match="is not a git ref"):
        repo.resolve("--output=x")


def test_missing_ref_in_a_shallow_clone(tmp_path: Path) -> None:
    origin = tmp_path / "origin"
    _repo_with_files(origin, 2)
    gitrepo.git(origin, "checkout", "--quiet", "-b", "feature")
    gitrepo.commit(origin, "feature")
    clone = tmp_path / "clone"
    gitrepo.git(
        tmp_path, "clone", "--quiet", "--depth=1", "--branch=feature", origin.as_uri(), "clone"
    )
    repo = Repository.find(clone)
    with pytest.raises(UsageError) as caught:
        repo.resolve("origin/main")
    assert str(caught.value) == (
        "ref origin/main not found; in a shallow clone fetch it first: "
        "git fetch --depth=1 origin main"
    )
    with pytest.raises(UsageError, match="git fetch --unshallow"):
        repo.resolve("HEAD~3")
    gitrepo.git(clone, "fetch", "--quiet", "--depth=1", "origin", "main:refs/remotes/origin/main")
    assert len(repo.resolve("origin/main")) == 40
