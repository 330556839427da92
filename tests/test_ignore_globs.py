"""`lint.ignore` and per-rule `ignore` globs follow .gitignore rules, relative to the catalog root.

`*` stays within a folder, `**` crosses folders, a pattern with a slash
(other than a trailing one) is anchored at the root, one without matches at
any depth, a trailing `/` names a folder and everything below it, `!`
re-includes, the last matching pattern wins. The generated CODEOWNERS file
is read by the same rules, so its escaped paths must match their own file.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from clihelpers import run_tagctl
from ruamel.yaml import YAML

from tagctl.changes.codeowners import _escape
from tagctl.lint.engine import LintRequest, lint
from tagctl.lint.settings import compile_globs

# (patterns, path, ignored)
TABLE = [
    # `*` does not cross a folder; fnmatch let `tags/*.yaml` reach nested files
    ("tags/*.yaml", "tags/b.yaml", True),
    ("tags/*.yaml", "tags/behavior/b.yaml", False),
    # `**` matches zero or more folders; fnmatch's `tags/**/*.yaml` missed tags/b.yaml
    ("tags/**/*.yaml", "tags/b.yaml", True),
    ("tags/**/*.yaml", "tags/behavior/b.yaml", True),
    ("tags/**/*.yaml", "tags/behavior/old/b.yaml", True),
    ("tags/**/*.yaml", "other/tags/b.yaml", False),
    # `**/x.yaml`: that name in any folder, the root included
    ("**/x.yaml", "x.yaml", True),
    ("**/x.yaml", "tags/x.yaml", True),
    ("**/x.yaml", "tags/behavior/x.yaml", True),
    ("**/x.yaml", "tags/behavior/xx.yaml", False),
    # no slash: matches the name at any depth
    ("x.yaml", "tags/behavior/x.yaml", True),
    ("*_legacy.yaml", "tags/profile/vip_legacy.yaml", True),
    # a leading slash anchors at the catalog root
    ("/tags/x.yaml", "tags/x.yaml", True),
    ("/tags/x.yaml", "old/tags/x.yaml", False),
    ("/x.yaml", "tags/x.yaml", False),
    # an inner slash anchors too
    ("tags/x.yaml", "old/tags/x.yaml", False),
    # a folder and everything below it
    ("tags/legacy/", "tags/legacy/a.yaml", True),
    ("tags/legacy/", "tags/legacy/deep/a.yaml", True),
    ("tags/legacy/", "tags/legacy.yaml", False),
    ("tags/legacy/", "tags/legacy_vip.yaml", False),
    ("legacy/", "tags/profile/legacy/a.yaml", True),
    # `!` re-includes; the last matching pattern wins
    ("tags/legacy/\n!tags/legacy/keep.yaml", "tags/legacy/keep.yaml", False),
    ("tags/legacy/\n!tags/legacy/keep.yaml", "tags/legacy/drop.yaml", True),
    ("!tags/a.yaml\ntags/*.yaml", "tags/a.yaml", True),
    ("tags/*.yaml\n!tags/a.yaml", "tags/a.yaml", False),
    # character classes, `?`, and escapes
    ("tags/[ab].yaml", "tags/a.yaml", True),
    ("tags/[ab].yaml", "tags/c.yaml", False),
    ("tags/?.yaml", "tags/a.yaml", True),
    ("tags/?.yaml", "tags/ab.yaml", False),
    ("tags/\\*.yaml", "tags/*.yaml", True),
    ("tags/\\*.yaml", "tags/a.yaml", False),
    # a file outside the catalog root is never matched
    ("*.yaml", "/elsewhere/x.yaml", False),
]


@pytest.mark.parametrize(("patterns", "path", "ignored"), TABLE)
def test_glob_table(patterns: str, path: str, ignored: bool) -> None:
    assert compile_globs(tuple(patterns.split("\n")))(path) is ignored


def test_each_list_is_compiled_once() -> None:
    patterns = ("tags/old/", "**/tmp_*.yaml")
    assert compile_globs(patterns) is compile_globs(patterns)


# ------------------------------------------------------------ end to end


def configure(root: Path, **lint_section: object) -> None:
    yaml = YAML()
    path = root / "tagctl.yaml"
    data = yaml.load(path.read_text(encoding="utf-8"))
    data["lint"].update(lint_section)
    with path.open("w", encoding="utf-8") as stream:
        yaml.dump(data, stream)


def break_name(root: Path, rel: str) -> None:
    """Give the tag at `rel` a name that breaks TG005 (file name) and TG203."""
    path = root / rel
    text = path.read_text(encoding="utf-8")
    name = path.stem
    path.write_text(text.replace(f"name: {name}", f"name: {name}x", 1), encoding="utf-8")


def reported(root: Path, code: str | None = None) -> set[str]:
    result = lint(LintRequest(catalog=root, cache=False))
    return {v.rel for v in result.violations if code is None or v.code == code}


def test_lint_ignore_star_stays_in_its_folder(sample_catalog: Path) -> None:
    nested = "tags/behavior/visit_app_30d.yaml"
    break_name(sample_catalog, nested)
    shutil.copyfile(sample_catalog / nested, sample_catalog / "tags" / "visit_app_30d.yaml")
    configure(sample_catalog, ignore=["tags/*.yaml"])
    assert reported(sample_catalog, "TG005") == {nested}


def test_lint_ignore_double_star_reaches_the_top_folder_too(sample_catalog: Path) -> None:
    nested = "tags/behavior/visit_app_30d.yaml"
    break_name(sample_catalog, nested)
    shutil.copyfile(sample_catalog / nested, sample_catalog / "tags" / "visit_app_30d.yaml")
    configure(sample_catalog, ignore=["tags/**/visit_app_30d.yaml"])
    assert "TG005" not in {code for code in _codes(sample_catalog)}


def _codes(root: Path) -> list[str]:
    return [v.code for v in lint(LintRequest(catalog=root, cache=False)).violations]


def test_lint_ignore_folder_with_a_file_let_back_in(sample_catalog: Path) -> None:
    for rel in ("tags/behavior/visit_app_30d.yaml", "tags/behavior/view_live_30d.yaml"):
        break_name(sample_catalog, rel)
    configure(sample_catalog, ignore=["tags/behavior/", "!tags/behavior/view_live_30d.yaml"])
    assert reported(sample_catalog, "TG005") == {"tags/behavior/view_live_30d.yaml"}


def test_a_rule_ignore_glob_follows_the_same_rules(sample_catalog: Path) -> None:
    for rel in ("tags/behavior/visit_app_30d.yaml", "tags/profile/gender.yaml"):
        break_name(sample_catalog, rel)
    configure(sample_catalog, rules={"TG005": {"ignore": ["/tags/behavior/"]}})
    assert reported(sample_catalog, "TG005") == {"tags/profile/gender.yaml"}


@pytest.mark.parametrize("bad", ["#legacy.yaml", "!", "tags/[ab.yaml", "\\"])
def test_a_pattern_that_can_match_nothing_is_a_configuration_error(
    sample_catalog: Path, bad: str
) -> None:
    configure(sample_catalog, ignore=["tags/legacy/", bad])
    result = run_tagctl("lint", "--no-cache", cwd=sample_catalog)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "lint.ignore.1: not a glob" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_bad_rule_glob_is_an_error_even_for_a_rule_turned_off(sample_catalog: Path) -> None:
    configure(sample_catalog, rules={"TG505": {"severity": "off", "ignore": ["#x"]}})
    result = run_tagctl("lint", "--no-cache", cwd=sample_catalog)
    assert result.returncode == 2
    assert "lint.rules.TG505.ignore.0: not a glob" in result.stderr


def test_a_file_given_by_name_but_ignored_reports_nothing(sample_catalog: Path) -> None:
    rel = "tags/behavior/visit_app_30d.yaml"
    break_name(sample_catalog, rel)
    configure(sample_catalog, ignore=["tags/behavior/"])
    result = lint(LintRequest(paths=[sample_catalog / rel], catalog=sample_catalog, cache=False))
    assert result.violations == []


# ------------------------------------------------------------ CODEOWNERS


@pytest.mark.parametrize(
    "path",
    [
        "tags/profile/gender.yaml",
        "tags/a b/x.yaml",
        "tags/a#b/x.yaml",
        "tags/[ab]/x.yaml",
        "tags/!x/y.yaml",
        "tags/a*b/x.yaml",
        "tags/a?b/x.yaml",
        "tags/x/y.yaml ",
    ],
)
def test_a_codeowners_path_matches_its_own_file_and_no_other(path: str) -> None:
    matcher = compile_globs((f"/{_escape(path)}",))
    assert matcher(path)
    others = ["tags/ab/x.yaml", "tags/a/x.yaml", "tags/aXb/x.yaml", "x/" + path, "tags/x/y.yaml"]
    assert not [other for other in others if other != path and matcher(other)]
