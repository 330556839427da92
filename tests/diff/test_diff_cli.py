"""`tagctl diff --against REF` and `tagctl lint --against REF` on a real git repository.

The catalog lives in a subfolder of the repository, as in most projects; the
base commit holds six tags, the working tree adds, removes, renames and
changes some of them without committing.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import gitrepo
import pytest
from clihelpers import describe, no_traceback, tag_yaml, text_findings

Run = Callable[..., subprocess.CompletedProcess[str]]

CONFIG = """catalog: {name: diff tests}
categories:
  profile: {zh: 基础属性, en: Profile}
  behavior: {zh: 行为偏好, en: Behavior}
"""
SKIN_VALUES = "value_type: enum\nvalues:\n  - {value: oily}\n  - {value: dry}\n"


def _write(catalog: Path, category: str, name: str, text: str) -> None:
    path = catalog / "tags" / category / f"{name}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")


def _remove(catalog: Path, category: str, name: str) -> None:
    (catalog / "tags" / category / f"{name}.yaml").unlink()


@pytest.fixture(name="catalog")
def catalog_fixture(tmp_path: Path) -> Path:
    """A repository whose base commit has six tags; the working tree changes them."""
    repo = tmp_path / "repo"
    gitrepo.init(repo)
    catalog = repo / "catalog"
    catalog.mkdir()
    (catalog / "tagctl.yaml").write_text(CONFIG, "utf-8")
    _write(
        catalog,
        "profile",
        "skin_type",
        tag_yaml(
            "skin_type",
            category="profile",
            value_type=None,
            extra=SKIN_VALUES + "  - {value: normal}\n",
        ),
    )
    _write(catalog, "behavior", "visit_store_30d", tag_yaml("visit_store_30d"))
    _write(catalog, "behavior", "visit_goods_30d", tag_yaml("visit_goods_30d"))
    _write(catalog, "behavior", "consult_app_30d", tag_yaml("consult_app_30d"))
    _write(catalog, "behavior", "click_push_7d", tag_yaml("click_push_7d", status="draft"))
    _write(catalog, "profile", "gender", tag_yaml("gender", category="profile"))
    gitrepo.commit(repo, "base")
    # A value removed with only a minor bump: breaking, wrong bump.
    _write(
        catalog,
        "profile",
        "skin_type",
        tag_yaml(
            "skin_type", category="profile", version="1.1.0", value_type=None, extra=SKIN_VALUES
        ),
    )
    # Description only, with a patch bump: fine.
    _write(
        catalog,
        "behavior",
        "visit_store_30d",
        tag_yaml(
            "visit_store_30d",
            version="1.0.1",
            description="Visited a store in the last 30 days, by the point-of-sale records.",
        ),
    )
    # Renamed with a major bump.
    _remove(catalog, "behavior", "visit_goods_30d")
    _write(
        catalog,
        "behavior",
        "visit_product_30d",
        tag_yaml("visit_product_30d", version="2.0.0", extra="renamed_from: visit_goods_30d\n"),
    )
    # An online tag removed (breaking) and a draft removed (fine).
    _remove(catalog, "behavior", "consult_app_30d")
    _remove(catalog, "behavior", "click_push_7d")
    # A new tag.
    _write(catalog, "profile", "city_tier", tag_yaml("city_tier", category="profile"))
    return catalog


def test_diff_json(run_tagctl: Run, catalog: Path) -> None:
    result = run_tagctl(
        "diff", "--against", "HEAD", "--format", "json", cwd=catalog, env=gitrepo.GIT_ENV
    )
    assert result.returncode == 0, describe(result)
    document = json.loads(result.stdout)
    assert document["against"] == "HEAD" and len(document["commit"]) == 40
    assert document["summary"] == {
        "added": 1,
        "removed": 2,
        "renamed": 1,
        "changed": 2,
        "breaking": 3,
        "required_bump": "major",
        "version_problems": 1,
    }
    changes = {change["name"]: change for change in document["changes"]}
    assert list(changes) == sorted(changes)
    skin = changes["skin_type"]
    assert skin["kind"] == "changed" and skin["breaking"] is True
    assert skin["reasons"] == ["values removed: normal"]
    assert skin["version"] == {
        "base": "1.0.0",
        "current": "1.1.0",
        "bump": "minor",
        "required": "major",
        "ok": False,
    }
    assert skin["path"] == "tags/profile/skin_type.yaml"
    store = changes["visit_store_30d"]
    assert store["breaking"] is False and store["version"]["required"] == "patch"
    assert store["fields"] == [
        {"field": "description", "level": "patch", "detail": "changed"},
        {"field": "version", "level": "none", "detail": "1.0.0 -> 1.0.1"},
    ]
    renamed = changes["visit_product_30d"]
    assert renamed["kind"] == "renamed" and renamed["previous_name"] == "visit_goods_30d"
    assert renamed["previous_path"] == "tags/behavior/visit_goods_30d.yaml"
    assert renamed["reasons"] == ["renamed from visit_goods_30d"]
    assert renamed["version"]["ok"] is True
    assert changes["consult_app_30d"]["kind"] == "removed"
    assert changes["consult_app_30d"]["breaking"] is True
    assert changes["consult_app_30d"]["path"] is None
    assert changes["click_push_7d"]["breaking"] is False
    assert changes["city_tier"]["kind"] == "added"
    assert changes["city_tier"]["version"]["bump"] is None
    assert "gender" not in changes


def test_diff_text_and_markdown(run_tagctl: Run, catalog: Path) -> None:
    text = run_tagctl("diff", "--against", "HEAD", cwd=catalog, env=gitrepo.GIT_ENV)
    assert text.returncode == 0, describe(text)
    assert "~ skin_type  changed  BREAKING" in text.stdout
    assert "    values: removed: normal (breaking)" in text.stdout
    assert "    version 1.0.0 -> 1.1.0: minor; needs a major bump" in text.stdout
    assert "> visit_product_30d (was visit_goods_30d)  renamed  BREAKING" in text.stdout
    assert text.stdout.rstrip().endswith(
        "6 tags changed since HEAD: 1 added, 2 removed, 1 renamed, 2 changed; "
        "3 breaking. Required bump: major."
    )
    markdown = run_tagctl(
        "diff", "--against", "HEAD", "-f", "markdown", cwd=catalog, env=gitrepo.GIT_ENV
    )
    assert markdown.returncode == 0, describe(markdown)
    assert markdown.stdout.startswith("### Tag catalog changes since `HEAD`\n")
    assert "| tag | change | version | bump | breaking |" in markdown.stdout
    assert (
        "| `skin_type` | changed: values, version | 1.0.0 → 1.1.0 | minor (needs major) :x: "
        "| values removed: normal |"
    ) in markdown.stdout


def test_nothing_changed(run_tagctl: Run, catalog: Path) -> None:
    gitrepo.commit(catalog.parent, "the change")
    result = run_tagctl("diff", "--against", "HEAD", cwd=catalog, env=gitrepo.GIT_ENV)
    assert result.returncode == 0, describe(result)
    assert result.stdout == "No tag changed since HEAD.\n"
    earlier = run_tagctl(
        "diff", "--against", "HEAD~1", "-f", "json", cwd=catalog, env=gitrepo.GIT_ENV
    )
    assert json.loads(earlier.stdout)["summary"]["breaking"] == 3


def test_fail_on_breaking_exits_1_only_with_a_breaking_change(
    run_tagctl: Run, catalog: Path
) -> None:
    gated = ("diff", "--against", "HEAD", "--fail-on", "breaking")
    failed = run_tagctl(*gated, "-f", "json", cwd=catalog, env=gitrepo.GIT_ENV)
    assert failed.returncode == 1, describe(failed)
    assert json.loads(failed.stdout)["summary"]["breaking"] == 3  # printed all the same
    gitrepo.commit(catalog.parent, "the change")
    city = catalog / "tags" / "profile" / "city_tier.yaml"
    city.write_text(city.read_text("utf-8").replace("A tag written", "A tag, written"), "utf-8")
    passed = run_tagctl(*gated, cwd=catalog, env=gitrepo.GIT_ENV)
    assert passed.returncode == 0, describe(passed)
    assert passed.stdout.rstrip().endswith(
        "1 tag changed since HEAD: 1 changed. Required bump: patch."
    )
    wrong = run_tagctl("diff", "--against", "HEAD", "--fail-on", "major", cwd=catalog)
    assert wrong.returncode == 2 and "--fail-on: 'major' is not breaking" in wrong.stderr


def test_lint_against(run_tagctl: Run, catalog: Path) -> None:
    result = run_tagctl("lint", "--against", "HEAD", "--no-cache", cwd=catalog, env=gitrepo.GIT_ENV)
    no_traceback(result)
    assert result.returncode == 1, describe(result)
    found = {
        path: [(f.at, f.code) for f in findings if "TG410" <= f.code <= "TG419"]
        for path, findings in text_findings(result.stdout).items()
        if any("TG410" <= f.code <= "TG419" for f in findings)
    }
    assert found == {
        "tags/profile/skin_type.yaml": [("2:10", "TG411"), ("2:10", "TG416")],
        "tags/behavior/consult_app_30d.yaml": [("1:1", "TG414")],
        "tags/behavior/visit_product_30d.yaml": [("2:10", "TG416")],
        "tags/behavior/visit_store_30d.yaml": [("2:10", "TG416")],
    }


def test_lint_without_against_reads_no_git(run_tagctl: Run, catalog: Path, tmp_path: Path) -> None:
    result = run_tagctl("lint", "--no-cache", cwd=catalog, env={"PATH": str(tmp_path)})
    no_traceback(result)
    assert result.returncode in (0, 1) and "git" not in result.stderr, describe(result)
    assert not any(
        f.code in {"TG410", "TG411", "TG412", "TG413", "TG414", "TG416"}
        for findings in text_findings(result.stdout).values()
        for f in findings
    )


def test_lint_against_given_paths(run_tagctl: Run, catalog: Path) -> None:
    """As pre-commit runs it: only the files named, compared with the ref."""
    result = run_tagctl(
        "lint", "--against", "HEAD", "tags/profile/skin_type.yaml", cwd=catalog, env=gitrepo.GIT_ENV
    )
    assert result.returncode == 1, describe(result)
    found = text_findings(result.stdout)
    assert list(found) == ["tags/profile/skin_type.yaml"]


@pytest.mark.parametrize("command", ["diff", "lint"])
def test_missing_ref(run_tagctl: Run, catalog: Path, command: str) -> None:
    result = run_tagctl(command, "--against", "origin/main", cwd=catalog, env=gitrepo.GIT_ENV)
    no_traceback(result)
    assert result.returncode == 2, describe(result)
    assert "ref origin/main not found" in result.stderr


@pytest.mark.parametrize("command", ["diff", "lint"])
def test_shallow_clone_without_the_ref(run_tagctl: Run, catalog: Path, command: str) -> None:
    repo = catalog.parent
    gitrepo.commit(repo, "the change")
    gitrepo.git(repo, "checkout", "--quiet", "-b", "feature")
    gitrepo.commit(repo, "feature")
    clone = repo.parent / "clone"
    gitrepo.git(
        repo.parent, "clone", "--quiet", "--depth=1", "--branch=feature", repo.as_uri(), "clone"
    )
    result = run_tagctl(
        command, "--against", "origin/main", cwd=clone / "catalog", env=gitrepo.GIT_ENV
    )
    no_traceback(result)
    assert result.returncode == 2, describe(result)
    assert result.stderr == (
        "tagctl: error: ref origin/main not found; in a shallow clone fetch it first: "
        "git fetch --depth=1 origin main\n"
    )
    gitrepo.git(clone, "fetch", "--quiet", "--depth=1", "origin", "main:refs/remotes/origin/main")
    fetched = run_tagctl(
        command, "--against", "origin/main", cwd=clone / "catalog", env=gitrepo.GIT_ENV
    )
    assert fetched.returncode in (0, 1), describe(fetched)


def test_outside_a_repository(run_tagctl: Run, tmp_path: Path) -> None:
    catalog = tmp_path / "plain"
    (catalog / "tags").mkdir(parents=True)
    (catalog / "tagctl.yaml").write_text(CONFIG, "utf-8")
    for command in ("diff", "lint"):
        result = run_tagctl(
            command,
            "--against",
            "HEAD",
            cwd=catalog,
            env={**gitrepo.GIT_ENV, "GIT_CEILING_DIRECTORIES": str(tmp_path)},
        )
        no_traceback(result)
        assert result.returncode == 2, describe(result)
        assert "not inside a git repository" in result.stderr


def test_against_is_required(run_tagctl: Run, catalog: Path) -> None:
    result = run_tagctl("diff", cwd=catalog)
    assert result.returncode == 2, describe(result)
    no_traceback(result)
