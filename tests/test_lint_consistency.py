"""Linting some files reports, for them, exactly what linting the whole catalog reports.

Pre-commit runs `tagctl lint FILE...` on the changed files; CI runs
`tagctl lint` on the catalog. For every file given, both must show the same
problems (code, file, line, column, message, severity, hint) and so agree on
the exit code. Cross-file problems are reported in each file whose edit can
bring them about (TG404 at the dependency and at the deprecated tag, for
example), so that a change CI rejects is rejected by the hook too.

Hypothesis mutates a copy of the sample catalog (dependencies on deprecated,
retired, unknown tags and on themselves, deprecations with and without
replacements, duplicate names, display names and logic, a stray copy
outside the tags folder, ignore globs) and compares random subsets with the
whole run, cold and from the cache, and checks that an error the mutations
bring fails the lint of the files they touched; other tests cover `--jobs`,
`--against` and the command line.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import gitrepo
import pytest
from clihelpers import SAMPLE_CATALOG, copy_catalog, run_tagctl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

import tagctl.lint.engine
from tagctl.lint.engine import LintRequest, lint
from tagctl.lint.result import LintResult, Violation

TODAY = dt.date(2026, 11, 23)
TAG_FILES = sorted(
    path.relative_to(SAMPLE_CATALOG).as_posix() for path in SAMPLE_CATALOG.glob("tags/*/*.yaml")
)
NAMES = [rel.rsplit("/", 1)[1][: -len(".yaml")] for rel in TAG_FILES]
FOLDERS = sorted({rel.split("/")[1] for rel in TAG_FILES})
DEPRECATION = {
    "reason": "Superseded by a better definition.",
    "deprecated_at": "2026-10-01",
    "sunset": "2027-06-30",
    "deprecated_by": "li.na@example.com",
}
IGNORE_GLOBS = [
    "tags/profile/",
    "tags/*/churn_*.yaml",
    "**/visit_store_*.yaml",
    "tags/behavior/*.yaml\n!tags/behavior/visit_store_30d.yaml",
]

Key = tuple[str, str, int, int, str, str, str, str, str]


def key(violation: Violation) -> Key:
    v = violation
    return (v.rel, v.path, v.line, v.column, v.code, v.severity, v.message, v.hint, v.json_path)


def keys(result: LintResult, files: Iterable[str] | None = None) -> list[Key]:
    wanted = None if files is None else set(files)
    return [key(v) for v in result.violations if wanted is None or v.rel in wanted]


def run(root: Path, paths: Iterable[str] = (), cache: bool = False, **extra: Any) -> LintResult:
    request = LintRequest(
        paths=[root / path for path in paths], catalog=root, cache=cache, today=TODAY, **extra
    )
    return lint(request)


def yaml_rt() -> YAML:
    yaml = YAML()
    yaml.width = 4096
    return yaml


def edit(path: Path, change: Any) -> None:
    """Load `path` keeping its layout, let `change` modify the mapping, write it back."""
    yaml = yaml_rt()
    data = yaml.load(path.read_text(encoding="utf-8"))
    change(data)
    out = io.StringIO()
    yaml.dump(data, out)
    path.write_text(out.getvalue(), encoding="utf-8")


def set_field(root: Path, rel: str, field: str, value: str) -> None:
    edit(root / rel, lambda data: data.__setitem__(field, value))


# ---------------------------------------------------------------- mutations


@dataclass(frozen=True)
class Mutation:
    kind: str
    tag: int
    other: int = 0
    word: str = ""


def _depend(data: Any, name: str) -> None:
    data.setdefault("depends_on", [])
    data["depends_on"].append(name)


def _set_status(data: Any, status: str, replaced_by: str | None) -> None:
    data["status"] = status
    if status == "online":
        data.pop("deprecation", None)
        return
    block = dict(DEPRECATION)
    if replaced_by is not None:
        block["replaced_by"] = replaced_by
    data["deprecation"] = block


def apply(root: Path, mutation: Mutation) -> str | None:
    """Make the change; the catalog file it wrote, if any."""
    rel = TAG_FILES[mutation.tag]
    path = root / rel
    other = NAMES[mutation.other]
    if mutation.kind == "depend":  # on another tag, itself, or a misspelt name
        name = {"tag": other, "self": NAMES[mutation.tag], "typo": other[:-1]}[mutation.word]
        edit(path, lambda data: _depend(data, name))
    elif mutation.kind in ("deprecated", "retired", "online"):
        replacement = {"none": None, "tag": other, "self": NAMES[mutation.tag]}.get(
            mutation.word, other + "x"
        )
        edit(path, lambda data: _set_status(data, mutation.kind, replacement))
    elif mutation.kind == "copy":  # the same tag in another folder: duplicate name
        target = root / "tags" / FOLDERS[mutation.other % len(FOLDERS)] / path.name
        if target.exists():
            return None
        shutil.copyfile(path, target)
        return target.relative_to(root).as_posix()
    elif mutation.kind == "display":
        label = _read(root / TAG_FILES[mutation.other])["display_name"]["zh"]
        edit(path, lambda data: data["display_name"].__setitem__("zh", label))
    elif mutation.kind == "logic":
        logic = _read(root / TAG_FILES[mutation.other]).get("logic") or "SELECT 1"
        edit(path, lambda data: data.__setitem__("logic", logic))
    elif mutation.kind == "stray":  # a copy outside the tags folder, given to lint
        (root / "stray").mkdir(exist_ok=True)
        shutil.copyfile(path, root / "stray" / path.name)
        return None
    return rel


def _read(path: Path) -> Any:
    return yaml_rt().load(path.read_text(encoding="utf-8"))


def configure(root: Path, ignore: str | None, rule_ignore: str | None) -> None:
    def change(data: Any) -> None:
        lint_section = data["lint"]
        if ignore is not None:
            lint_section["ignore"] = ignore.split("\n")
        if rule_ignore is not None:
            lint_section["rules"]["TG404"] = {"severity": "error", "ignore": [rule_ignore]}

    edit(root / "tagctl.yaml", change)


INDEX = st.integers(0, len(TAG_FILES) - 1)
MUTATIONS = st.one_of(
    st.builds(Mutation, st.just("depend"), INDEX, INDEX, st.sampled_from(["tag", "self", "typo"])),
    st.builds(
        Mutation,
        st.sampled_from(["deprecated", "retired", "online"]),
        INDEX,
        INDEX,
        st.sampled_from(["none", "tag", "self", "unknown"]),
    ),
    st.builds(Mutation, st.sampled_from(["copy", "display", "logic", "stray"]), INDEX, INDEX),
)


@dataclass(frozen=True)
class Scenario:
    mutations: list[Mutation]
    ignore: str | None
    rule_ignore: str | None
    subsets: list[list[int]]
    folder: bool


SCENARIOS = st.builds(
    Scenario,
    st.lists(MUTATIONS, min_size=1, max_size=10),
    st.none() | st.sampled_from(IGNORE_GLOBS),
    st.none() | st.sampled_from(["tags/strategy/", "**/visit_*.yaml"]),
    st.lists(st.lists(st.integers(0, 10_000), min_size=1, max_size=6), min_size=1, max_size=4),
    st.booleans(),
)


def catalog_files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in (root / "tags").rglob("*.yaml"))


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(SCENARIOS)
def test_some_files_get_what_the_whole_catalog_gives_them(scenario: Scenario) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = copy_catalog(Path(folder) / "catalog")
        configure(root, scenario.ignore, scenario.rule_ignore)
        before = run(root)
        changed = {apply(root, mutation) for mutation in scenario.mutations} - {None}
        files = catalog_files(root)
        strays = sorted(p.relative_to(root).as_posix() for p in root.glob("stray/*.yaml"))
        copied = [rel for rel in files if rel.rsplit("/", 1)[1] in {s[6:] for s in strays}]

        whole = run(root)
        assert all(v.rel in files for v in whole.violations)  # strays are no part of it
        assert keys(run(root, cache=True)) == keys(whole)  # cold cache
        assert keys(run(root, cache=True)) == keys(whole)  # warm cache

        for picks in scenario.subsets:
            given = sorted({files[i % len(files)] for i in picks})
            expected = keys(whole, given)
            result = run(root, given, cache=True)
            assert keys(result) == expected
            assert result.exit_code == (1 if any(k[5] == "error" for k in expected) else 0)
            if strays:  # given too, they change nothing for the catalog's files
                given = sorted({*given, *copied})
                mixed = run(root, [*given, *strays], cache=True)
                assert keys(mixed, files) == keys(whole, given)

        # What pre-commit promises: an error the change brought to the catalog
        # fails the lint of the changed files (a rule's own ignore glob aside).
        new_errors = {k for k in keys(whole) if k[5] == "error"} - set(keys(before))
        if new_errors and scenario.rule_ignore is None:
            hook = run(root, sorted(changed), cache=True)
            assert hook.exit_code == 1, sorted(new_errors)
        if scenario.folder:  # a folder given names every file in it
            category = files[scenario.subsets[0][0] % len(files)].split("/")[1]
            inside = [rel for rel in files if rel.startswith(f"tags/{category}/")]
            assert keys(run(root, [f"tags/{category}"], cache=True)) == keys(whole, inside)


# ----------------------------------------------------- the example


def deprecate_without_replacement(root: Path, rel: str) -> None:
    edit(root / rel, lambda data: data["deprecation"].pop("replaced_by", None))


def test_a_new_dependency_on_a_deprecated_tag_without_replacement_fails_the_hook(
    sample_catalog: Path,
) -> None:
    """The hook sees the error CI sees, at the line that adds the dependency."""
    deprecate_without_replacement(sample_catalog, "tags/profile/age_group.yaml")
    user = "tags/behavior/visit_product_30d.yaml"
    edit(sample_catalog / user, lambda data: _depend(data, "age_group"))

    hook = run_tagctl("lint", "--no-cache", "--format", "json", user, cwd=sample_catalog)
    ci = run_tagctl("lint", "--no-cache", "--format", "json", cwd=sample_catalog)

    assert (hook.returncode, ci.returncode) == (1, 1), hook.stdout + hook.stderr
    found = violations_of(hook.stdout)
    assert ("TG404", user) in {(v["code"], v["rel"]) for v in found}
    assert found == [v for v in violations_of(ci.stdout) if v["rel"] == user]
    deprecated = run_tagctl("lint", "--no-cache", "tags/profile/age_group.yaml", cwd=sample_catalog)
    assert deprecated.returncode == 1
    assert "still used by visit_product_30d" in deprecated.stdout


def violations_of(output: str) -> list[dict[str, Any]]:
    import json

    found: list[dict[str, Any]] = json.loads(output)["violations"]
    return found


@pytest.mark.parametrize(
    ("change", "code", "other"),
    [
        # retiring a tag others depend on: reported at its status too
        ("retire", "TG304", "tags/behavior/visit_store_30d.yaml"),
        # deprecating another tag's replacement: reported at the replacement too
        ("deprecate_replacement", "TG305", "tags/profile/age_group.yaml"),
    ],
)
def test_an_edit_that_breaks_another_file_is_seen_in_the_edited_file(
    sample_catalog: Path, change: str, code: str, other: str
) -> None:
    if change == "retire":
        edited = "tags/behavior/visit_store_30d.yaml"
        user = sample_catalog / "tags/behavior/visit_app_30d.yaml"
        edit(user, lambda data: _depend(data, "visit_store_30d"))
        edit(sample_catalog / edited, lambda data: _set_status(data, "retired", None))
    else:
        edited = "tags/profile/age_band.yaml"  # the replacement of age_group
        edit(sample_catalog / edited, lambda data: _set_status(data, "deprecated", None))
    whole = run(sample_catalog)
    alone = run(sample_catalog, [edited])
    assert code in {v.code for v in alone.violations}
    assert alone.exit_code == 1
    assert keys(alone) == keys(whole, [edited])
    assert code in {v.code for v in whole.violations if v.rel == other}


def test_a_copy_outside_the_tags_folder_changes_nothing_for_catalog_files(
    sample_catalog: Path,
) -> None:
    tag = "tags/behavior/visit_store_30d.yaml"
    shutil.copyfile(sample_catalog / tag, sample_catalog / "visit_store_30d.yaml")
    whole = run(sample_catalog)
    both = run(sample_catalog, [tag, "visit_store_30d.yaml"])
    assert keys(both, [tag]) == keys(whole, [tag]) == []
    stray = {v.code for v in both.violations if v.rel == "visit_store_30d.yaml"}
    assert "TG307" in stray  # the copy is checked as if it were added to the catalog


def test_parallel_workers_give_what_one_process_gives(
    sample_catalog: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    deprecate_without_replacement(sample_catalog, "tags/profile/age_group.yaml")
    for rel in TAG_FILES[:5]:
        edit(sample_catalog / rel, lambda data: _depend(data, "age_group"))
    edit(sample_catalog / TAG_FILES[7], lambda data: _depend(data, NAMES[7]))
    one = run(sample_catalog, jobs=1)
    monkeypatch.setattr(tagctl.lint.engine, "PARALLEL_THRESHOLD", 1)
    assert keys(run(sample_catalog, jobs=2)) == keys(one)
    assert keys(run(sample_catalog, TAG_FILES[:3], jobs=2)) == keys(one, TAG_FILES[:3])
    assert keys(run(sample_catalog, cache=True, jobs=2)) == keys(one)
    assert keys(run(sample_catalog, cache=True, jobs=2)) == keys(one)


# ------------------------------------------------------------ --against REF


def test_against_a_ref_each_file_gets_what_the_whole_catalog_gives_it(tmp_path: Path) -> None:
    root = copy_catalog(tmp_path / "catalog")
    gitrepo.init(root)
    gitrepo.commit(root, "base")
    (root / "tags/behavior/visit_app_30d.yaml").unlink()  # TG414: only in whole runs
    set_field(root, "tags/behavior/visit_product_30d.yaml", "logic", "SELECT 1")  # TG410
    edit(root / "tags/behavior/view_live_30d.yaml", lambda d: _depend(d, "age_group"))  # TG413
    edit(root / "tags/profile/gender.yaml", lambda d: _set_status(d, "retired", None))  # TG412
    ignored = "tags/transaction/purchase_serum_90d.yaml"
    set_field(root, ignored, "window", "7d")  # TG411, but the file is ignored
    configure(root, ignored, None)

    whole = run(root, against="HEAD")
    codes = {v.code for v in whole.violations}
    assert {"TG410", "TG412", "TG413", "TG414"} <= codes
    assert ignored not in {v.rel for v in whole.violations}
    for rel in catalog_files(root):
        assert keys(run(root, [rel], against="HEAD")) == keys(whole, [rel]), rel
