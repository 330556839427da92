"""`tagctl init`: every template lints clean, and nothing is ever overwritten."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from tagctl import __version__
from tagctl.scaffold.templates import VERSION_MARKER, templates
from tests.conftest import run_tagctl as run_tagctl_once

ROOT = Path(__file__).resolve().parent.parent
NAMES = list(templates())
INDUSTRIES = [name for name in NAMES if name != "minimal"]

Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture(scope="module")
def created(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each template, initialised once through the real command line."""
    base = tmp_path_factory.mktemp("init")
    folders = {}
    for name in NAMES:
        run = run_tagctl_once("init", base / name, "--template", name)
        assert run.returncode == 0, run.stdout + run.stderr
        assert f"from the {name} template" in run.stdout
        folders[name] = base / name
    return folders


def tags_of(catalog: Path) -> list[dict[str, object]]:
    return [
        yaml.safe_load(path.read_text(encoding="utf-8"))
        for path in sorted((catalog / "tags").rglob("*.yaml"))
    ]


@pytest.mark.parametrize("name", NAMES)
def test_every_template_lints_without_errors_or_warnings(
    name: str, created: dict[str, Path], run_tagctl: Run
) -> None:
    run = run_tagctl("lint", created[name], "--format", "json", "--no-cache")
    assert run.returncode == 0, run.stdout + run.stderr
    summary = json.loads(run.stdout)["summary"]
    assert summary["errors"] == 0 and summary["warnings"] == 0, run.stdout
    assert summary["files_checked"] == len(templates()[name].tag_files())


@pytest.mark.parametrize("name", NAMES)
def test_a_new_catalog_has_config_readme_precommit_and_gitignore(
    name: str, created: dict[str, Path]
) -> None:
    catalog = created[name]
    for file in ("tagctl.yaml", "README.md", ".pre-commit-config.yaml", ".gitignore"):
        assert (catalog / file).is_file(), file
    assert ".tagctl/" in (catalog / ".gitignore").read_text(encoding="utf-8").splitlines()
    hook_ids = {
        hook["id"] for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    }
    precommit = yaml.safe_load((catalog / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    (repo,) = precommit["repos"]
    assert repo["rev"] == f"v{__version__}"
    assert {hook["id"] for hook in repo["hooks"]} <= hook_ids
    config = yaml.safe_load((catalog / "tagctl.yaml").read_text(encoding="utf-8"))
    for section in ("categories", "naming", "lint", "kpi", "warehouse", "history", "report"):
        assert config[section], section


@pytest.mark.parametrize("name", NAMES)
def test_files_are_copied_as_they_are(name: str, created: dict[str, Path]) -> None:
    for relative, source in templates()[name].files():
        expected = source.read_bytes().replace(VERSION_MARKER, __version__.encode())
        assert (created[name] / relative).read_bytes() == expected, relative
    written = {p for p in created[name].rglob("*") if p.is_file() and ".tagctl" not in p.parts}
    assert len(written) == len(templates()[name].files())


@pytest.mark.parametrize("name", INDUSTRIES)
def test_industry_templates_have_forty_varied_tags(name: str, created: dict[str, Path]) -> None:
    tags = tags_of(created[name])
    assert len(tags) >= 40
    for tag in tags:
        names = tag["display_name"]
        assert isinstance(names, dict) and names["zh"] and names["en"], tag["name"]
        assert tag.get("logic"), tag["name"]
    assert {tag["type"] for tag in tags} == {"fact", "rule", "model", "strategy"}
    assert {"boolean", "enum", "integer", "number", "date"} <= {tag["value_type"] for tag in tags}
    assert any(tag.get("tier") == "core" for tag in tags)
    assert sum(1 for tag in tags if tag.get("depends_on")) >= 5
    assert any(tag.get("window") for tag in tags)
    enums = [tag for tag in tags if tag["value_type"] == "enum"]
    assert all("label" in value for tag in enums for value in tag["values"])  # type: ignore[attr-defined]
    assert any("bins" in tag for tag in tags)


@pytest.mark.parametrize("name", ["medical-aesthetics", "health"])
def test_medical_data_is_sensitive_with_its_own_data_owner(
    name: str, created: dict[str, Path]
) -> None:
    sensitive = [t for t in tags_of(created[name]) if t["sensitivity"] == "restricted"]
    assert len(sensitive) >= 3
    for tag in sensitive:
        owners = tag["owners"]
        assert isinstance(owners, dict) and owners["data"] != owners["business"], tag["name"]


def test_minimal_is_a_handful_of_tags(created: dict[str, Path]) -> None:
    assert 3 <= len(tags_of(created["minimal"])) <= 12


def test_default_template_is_minimal(tmp_path: Path, run_tagctl: Run) -> None:
    run = run_tagctl("init", tmp_path / "new")
    assert run.returncode == 0, run.stderr
    assert "from the minimal template" in run.stdout


def test_an_existing_file_stops_everything(tmp_path: Path, run_tagctl: Run) -> None:
    catalog = tmp_path / "catalog"
    clash = catalog / "tags" / "profile" / "gender.yaml"  # late in the plan: checked before writing
    clash.parent.mkdir(parents=True)
    clash.write_text("mine\n", encoding="utf-8")
    run = run_tagctl("init", catalog, "--template", "beauty")
    assert run.returncode == 2
    assert "gender.yaml" in run.stderr and "nothing was written" in run.stderr
    assert "Traceback" not in run.stderr
    assert sorted(p for p in catalog.rglob("*") if p.is_file()) == [clash]
    assert clash.read_text(encoding="utf-8") == "mine\n"


def test_the_first_conflicting_file_is_named(tmp_path: Path, run_tagctl: Run) -> None:
    (tmp_path / "README.md").write_text("# ours\n", encoding="utf-8")
    (tmp_path / "tagctl.yaml").write_text("categories: {}\n", encoding="utf-8")
    run = run_tagctl("init", tmp_path)
    assert run.returncode == 2
    assert "README.md" in run.stderr and "tagctl.yaml" not in run.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["README.md", "tagctl.yaml"]


def test_a_file_where_the_folder_should_be(tmp_path: Path, run_tagctl: Run) -> None:
    blocker = tmp_path / "catalog"
    blocker.write_text("not a folder\n", encoding="utf-8")
    run = run_tagctl("init", blocker / "inner")
    assert run.returncode == 2
    assert "catalog" in run.stderr and "Traceback" not in run.stderr


def test_an_unknown_template_lists_the_templates(tmp_path: Path, run_tagctl: Run) -> None:
    run = run_tagctl("init", tmp_path / "new", "--template", "fashion")
    assert run.returncode == 2
    assert "unknown template 'fashion'" in run.stderr
    for name in NAMES:
        assert name in run.stderr
    assert not (tmp_path / "new").exists()


def test_help_shows_examples_and_every_template(run_tagctl: Run) -> None:
    run = run_tagctl("init", "--help", env={"NO_COLOR": "1", "COLUMNS": "200"})
    assert run.returncode == 0
    assert "Examples:" in run.stdout and "tagctl init my-catalog --template beauty" in run.stdout
    for name in NAMES:
        assert name in run.stdout


def test_the_rev_init_writes_is_a_release_of_the_changelog() -> None:
    # `rev: v<version>` must name a release: the version has its dated section
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    sections = re.findall(r"^## \[(\d+\.\d+\.\d+)\] - (\d{4}-\d{2}-\d{2})$", changelog, re.M)
    assert __version__ in [version for version, _ in sections]
    assert sections == sorted(sections, key=lambda s: [int(p) for p in s[0].split(".")])[::-1]
