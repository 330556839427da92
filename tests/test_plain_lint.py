"""A plain `tagctl lint` runs without building the command-line app, and says the same."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from clihelpers import SAMPLE_CATALOG, run_tagctl, tag_yaml
from test_startup import _loaded

from tagctl.cli import PlainLint, plain_lint


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ([], PlainLint()),
        (["a.yaml", "tags"], PlainLint(paths=[Path("a.yaml"), Path("tags")])),
        (["-C", "cat", "--no-cache"], PlainLint(catalog=Path("cat"), no_cache=True)),
        (["--catalog", "cat", "x.yaml"], PlainLint(paths=[Path("x.yaml")], catalog=Path("cat"))),
        (["--format", "json", "--no-color"], PlainLint(fmt="json", color=False)),
        (["-f", "github", "--color"], PlainLint(fmt="github", color=True)),
    ],
)
def test_the_plain_forms(args: list[str], expected: PlainLint) -> None:
    assert plain_lint(args) == expected


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["-h"],
        ["--fix"],
        ["--catalog=cat"],
        ["-Ccat"],
        ["--catalog"],
        ["--catalog", "--no-cache"],
        ["-C", "a", "-C", "b"],
        ["--color", "--no-color"],
        ["--format", "yaml"],
        ["--baseline", "b.json"],
        ["--", "a.yaml"],
        ["-"],
    ],
)
def test_everything_else_is_left_to_the_app(args: list[str]) -> None:
    assert plain_lint(args) is None


@pytest.fixture
def catalog(tmp_path: Path) -> Path:
    """A catalog with an error, a warning and a control character to show."""
    folder = tmp_path / "catalog"
    shutil.copytree(SAMPLE_CATALOG, folder, ignore=shutil.ignore_patterns(".tagctl"))
    tags = folder / "tags" / "behavior"
    (tags / "bad_version.yaml").write_text(tag_yaml("bad_version", version="1.2"), "utf-8")
    short = tag_yaml("short_text", description="Too\x1b[2J short.")
    (tags / "short_text.yaml").write_text(short, "utf-8")
    return folder


def test_a_plain_lint_loads_no_command_line_library(catalog: Path) -> None:
    loaded, shown = _loaded("typer,click,rich", "lint", "-C", str(catalog), "--no-cache")
    assert loaded == set()
    assert "TG103" in shown


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["--no-cache"],
        ["--format", "json"],
        ["-f", "sarif"],
        ["--color", "-f", "github"],
        ["tags/behavior/bad_version.yaml", "tags/behavior/short_text.yaml"],
        ["tags/behavior", "--no-color"],
        ["no/such/file.yaml"],
    ],
)
def test_a_plain_lint_says_what_the_app_says(catalog: Path, args: list[str]) -> None:
    plain = run_tagctl("lint", *args, cwd=catalog)
    app = run_tagctl("--verbose", "lint", *args, cwd=catalog)  # the app parses it
    assert (plain.returncode, plain.stdout, plain.stderr) == (
        app.returncode,
        app.stdout,
        app.stderr,
    )
    assert plain.returncode in (1, 2)
