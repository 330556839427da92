"""The `tagctl lint` and `tagctl validate` command lines, end to end.

Every test runs a real `tagctl` process on a copy of the sample catalog (or on a
catalog generated here) and looks only at what a user sees: the exit code, stdout,
stderr and the files written.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from clihelpers import describe, no_traceback, tag_yaml, text_findings

from tagctl.rules import registry

Run = Callable[..., subprocess.CompletedProcess[str]]
ROOT = Path(__file__).resolve().parent.parent
ANSI = re.compile(r"\x1b\[")


def add_tag(catalog: Path, name: str, category: str = "behavior", **fields: Any) -> Path:
    """Write tags/<category>/<name>.yaml, a valid tag unless `fields` say otherwise."""
    path = catalog / "tags" / category / f"{name}.yaml"
    path.write_text(tag_yaml(name, category=category, **fields), encoding="utf-8")
    return path


def lint_json(
    run_tagctl: Run, catalog: Path, *args: str, cwd: Path | None = None
) -> tuple[subprocess.CompletedProcess[str], dict[str, Any]]:
    result = run_tagctl("lint", "--format", "json", *args, cwd=cwd or catalog)
    no_traceback(result)
    assert result.returncode in (0, 1), describe(result)
    return result, json.loads(result.stdout)


def codes(document: dict[str, Any], rel: str | None = None) -> list[str]:
    return [v["code"] for v in document["violations"] if rel is None or v["rel"] == rel]


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    """The single `tagctl: error: ...` line of a failed run."""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("tagctl: error: "), describe(result)
    return lines[0]


def tag_files(catalog: Path) -> list[Path]:
    return sorted((catalog / "tags").rglob("*.yaml"))


# --- exit codes


def test_clean_catalog_exits_0(sample_catalog: Path, run_tagctl: Run) -> None:
    result = run_tagctl("lint", cwd=sample_catalog)
    no_traceback(result)
    assert result.returncode == 0, describe(result)
    assert result.stderr == ""
    assert "0 errors" in result.stdout or "No problems" in result.stdout


def test_an_error_exits_1(sample_catalog: Path, run_tagctl: Run) -> None:
    add_tag(sample_catalog, "bad_version", version="1.2")
    result = run_tagctl("lint", cwd=sample_catalog)
    no_traceback(result)
    assert result.returncode == 1, describe(result)
    found = text_findings(result.stdout)["tags/behavior/bad_version.yaml"]
    assert [(f.code, f.at, f.severity) for f in found] == [("TG103", "2:10", "error")]


def test_warnings_alone_exit_0(sample_catalog: Path, run_tagctl: Run) -> None:
    add_tag(sample_catalog, "short_text", description="Too short.")
    result = run_tagctl("lint", cwd=sample_catalog)
    assert result.returncode == 0, describe(result)
    found = text_findings(result.stdout)["tags/behavior/short_text.yaml"]
    assert [(f.code, f.severity) for f in found] == [("TG505", "warning")]


_USAGE_ERRORS = [
    (["lint", "--format", "xml"], "xml"),
    (["validate", "--format", "xml"], "xml"),
    (["lint", "--today", "someday"], "someday"),
    (["lint", "--baseline", "no-such-baseline.json"], "no-such-baseline.json"),
    (["lint", "tags/behavior/no_such_tag.yaml"], "tags/behavior/no_such_tag.yaml"),
    (["lint", "no/such/folder"], "no/such/folder"),
    (["validate", "tags/no_such_file.yaml"], "tags/no_such_file.yaml"),
]


@pytest.mark.parametrize(
    ("args", "named"), [pytest.param(*case, id=" ".join(case[0])) for case in _USAGE_ERRORS]
)
def test_usage_errors_exit_2_with_one_line(
    args: list[str], named: str, sample_catalog: Path, run_tagctl: Run
) -> None:
    """A bad value or a missing path: exit 2, one line that names what is wrong."""
    result = run_tagctl(*args, cwd=sample_catalog)
    no_traceback(result)
    assert result.returncode == 2, describe(result)
    assert result.stdout == ""
    assert named in one_line_error(result)


def test_a_baseline_that_is_not_one_exits_2(sample_catalog: Path, run_tagctl: Run) -> None:
    (sample_catalog / "baseline.json").write_text("{not json", encoding="utf-8")
    result = run_tagctl("lint", "--baseline", "baseline.json", cwd=sample_catalog)
    no_traceback(result)
    assert result.returncode == 2, describe(result)
    assert "baseline.json" in one_line_error(result)


@pytest.mark.parametrize("args", [["lint", "--no-such-flag"], ["lint", "--jobs", "-1"]])
def test_bad_flags_exit_2(args: list[str], sample_catalog: Path, run_tagctl: Run) -> None:
    result = run_tagctl(*args, cwd=sample_catalog)
    no_traceback(result)
    assert result.returncode == 2, describe(result)
    assert result.stdout == ""


# --- formats


@pytest.fixture
def troubled_catalog(sample_catalog: Path) -> Path:
    """The sample catalog with one error (TG103) and one warning (TG505) added."""
    add_tag(sample_catalog, "bad_version", version="1.2")
    add_tag(sample_catalog, "short_text", description="Too short.")
    return sample_catalog


def test_json_format(troubled_catalog: Path, run_tagctl: Run) -> None:
    result, document = lint_json(run_tagctl, troubled_catalog)
    assert result.returncode == 1
    assert document["tool"]["name"] == "tagctl"
    summary = document["summary"]
    assert set(summary) >= {"files_checked", "errors", "warnings", "suppressed", "baselined"}
    assert summary["files_checked"] == len(tag_files(troubled_catalog))
    violations = document["violations"]
    assert summary["errors"] == sum(v["severity"] == "error" for v in violations) >= 1
    assert summary["warnings"] == sum(v["severity"] == "warning" for v in violations) >= 1
    assert (summary["suppressed"], summary["baselined"]) == (0, 0)
    bad = [v for v in violations if v["rel"] == "tags/behavior/bad_version.yaml"]
    assert [(v["code"], v["line"], v["column"], v["severity"]) for v in bad] == [
        ("TG103", 2, 10, "error")
    ]
    for violation in violations:
        assert {"path", "line", "column", "code", "severity", "rule", "message"} <= set(violation)


_GITHUB = re.compile(
    r"::(error|warning) file=(?P<file>[^,]+),line=(?P<line>\d+),col=(?P<col>\d+),"
    r"title=(?P<title>[^:]+)::(?P<message>.+)"
)


def test_github_format(troubled_catalog: Path, run_tagctl: Run) -> None:
    result = run_tagctl("lint", "--format", "github", cwd=troubled_catalog)
    no_traceback(result)
    assert result.returncode == 1, describe(result)
    lines = result.stdout.splitlines()
    assert lines, describe(result)
    for line in lines:
        assert _GITHUB.fullmatch(line), f"not a GitHub annotation: {line!r}"
    errors = [m for m in map(_GITHUB.fullmatch, lines) if m and m[1] == "error"]
    located = {(m["file"], m["line"], m["col"]) for m in errors}
    assert ("tags/behavior/bad_version.yaml", "2", "10") in located
    assert any(m["title"].startswith("TG103") for m in errors)
    _, document = lint_json(run_tagctl, troubled_catalog)
    assert len(lines) == len(document["violations"])


@pytest.mark.parametrize("fmt", ["json", "sarif", "text", "github"])
def test_output_file(fmt: str, troubled_catalog: Path, run_tagctl: Run) -> None:
    out = troubled_catalog.parent / f"report.{fmt}"
    to_file = run_tagctl("lint", "--format", fmt, "-o", str(out), cwd=troubled_catalog)
    no_traceback(to_file)
    assert to_file.returncode == 1, describe(to_file)
    assert to_file.stdout == ""
    assert out.is_file()
    to_stdout = run_tagctl("lint", "--format", fmt, cwd=troubled_catalog)
    assert out.read_text(encoding="utf-8") == to_stdout.stdout
    if fmt == "sarif":
        document = json.loads(out.read_text(encoding="utf-8"))
        assert document["version"] == "2.1.0"
        assert document["runs"][0]["results"]


@pytest.mark.parametrize(
    "args",
    [
        ["--write-baseline", "missing/folder/baseline.json"],
        ["--write-baseline", "tags"],
        ["-o", "missing/folder/report.txt"],
        ["-o", "tags"],
    ],
    ids=" ".join,
)
def test_an_output_that_cannot_be_written_is_a_one_line_error(
    args: list[str], sample_catalog: Path, run_tagctl: Run
) -> None:
    result = run_tagctl("lint", *args, cwd=sample_catalog)
    no_traceback(result)
    assert result.returncode in (2, 3), describe(result)
    assert args[1] in one_line_error(result)


# --- rule documentation


@pytest.mark.parametrize("code", ["TG201", "tg201"])
def test_explain(code: str, sample_catalog: Path, run_tagctl: Run) -> None:
    result = run_tagctl("lint", "--explain", code, cwd=sample_catalog)
    no_traceback(result)
    assert result.returncode == 0, describe(result)
    assert result.stdout.startswith("TG201 ")
    for line in registry()["TG201"].documentation().splitlines():
        assert line in result.stdout


def test_explain_an_unknown_rule_exits_2(sample_catalog: Path, run_tagctl: Run) -> None:
    result = run_tagctl("lint", "--explain", "TG999", cwd=sample_catalog)
    no_traceback(result)
    assert result.returncode == 2, describe(result)
    assert result.stdout == ""
    assert "TG999" in one_line_error(result)


def test_explain_needs_no_catalog(tmp_path: Path, run_tagctl: Run) -> None:
    result = run_tagctl("lint", "--explain", "TG301", cwd=tmp_path)
    assert result.returncode == 0, describe(result)
    assert result.stdout.startswith("TG301 ")


def test_list_rules(tmp_path: Path, run_tagctl: Run) -> None:
    result = run_tagctl("lint", "--list-rules", cwd=tmp_path)
    no_traceback(result)
    assert result.returncode == 0, describe(result)
    listed = [line.split()[0] for line in result.stdout.splitlines() if line.strip()]
    modules = {
        path.name[:5].upper() for path in (ROOT / "tagctl" / "rules").glob("tg[0-9][0-9][0-9]_*.py")
    }
    assert listed == sorted(listed)
    assert len(listed) == len(set(listed))
    assert set(listed) == set(registry()) == modules


# --- which files are linted


def test_a_given_file_resolves_dependencies_against_the_whole_catalog(
    sample_catalog: Path, run_tagctl: Run
) -> None:
    add_tag(sample_catalog, "other_broken", category="profile", version="1.2")
    add_tag(sample_catalog, "uses_known", extra="depends_on: [visit_store_30d]\n")
    add_tag(sample_catalog, "uses_unknown", extra="depends_on: [visit_store_31d]\n")

    known = run_tagctl("lint", "tags/behavior/uses_known.yaml", cwd=sample_catalog)
    no_traceback(known)
    assert known.returncode == 0, describe(known)
    assert text_findings(known.stdout) == {}
    assert "other_broken" not in known.stdout

    unknown = run_tagctl("lint", "tags/behavior/uses_unknown.yaml", cwd=sample_catalog)
    assert unknown.returncode == 1, describe(unknown)
    findings = text_findings(unknown.stdout)
    assert list(findings) == ["tags/behavior/uses_unknown.yaml"], describe(unknown)
    assert [(f.code, f.at) for f in findings["tags/behavior/uses_unknown.yaml"]] == [
        ("TG301", "18:14")
    ]
    assert "visit_store_30d" in unknown.stdout, "the hint suggests the close name"


def test_a_given_folder_lints_only_that_folder(sample_catalog: Path, run_tagctl: Run) -> None:
    add_tag(sample_catalog, "other_broken", category="profile", version="1.2")
    add_tag(sample_catalog, "mine_broken", version="1.2")
    result, document = lint_json(run_tagctl, sample_catalog, "tags/behavior")
    assert result.returncode == 1
    assert {v["rel"] for v in document["violations"]} == {"tags/behavior/mine_broken.yaml"}
    behavior = len(list((sample_catalog / "tags" / "behavior").glob("*.yaml")))
    assert document["summary"]["files_checked"] == behavior


def test_depending_on_a_tag_that_is_given_too(sample_catalog: Path, run_tagctl: Run) -> None:
    """Two new files naming each other: both given, both resolve."""
    add_tag(sample_catalog, "new_base")
    add_tag(sample_catalog, "new_derived", extra="depends_on: [new_base]\n")
    result = run_tagctl(
        "lint", "tags/behavior/new_base.yaml", "tags/behavior/new_derived.yaml", cwd=sample_catalog
    )
    assert result.returncode == 0, describe(result)


# --- baseline


def test_baseline_round_trip(sample_catalog: Path, run_tagctl: Run) -> None:
    old = add_tag(sample_catalog, "old_problem", version="1.2")
    add_tag(sample_catalog, "old_dependency", category="profile", extra="depends_on: [gone_tag]\n")
    baseline = sample_catalog.parent / "baseline.json"

    written = run_tagctl("lint", "--write-baseline", str(baseline), cwd=sample_catalog)
    no_traceback(written)
    assert written.returncode == 0, describe(written)
    assert baseline.is_file()
    _, before = lint_json(run_tagctl, sample_catalog)
    recorded = len(before["violations"])
    assert recorded >= 2

    result, document = lint_json(run_tagctl, sample_catalog, "--baseline", str(baseline))
    assert result.returncode == 0, describe(result)
    assert document["violations"] == []
    assert document["summary"]["baselined"] == recorded

    # Lines added above an old problem move it, but do not bring it back.
    old.write_text(
        "# Owned by the growth team.\n# Reviewed 2026-11.\n\n" + old.read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    result, document = lint_json(run_tagctl, sample_catalog, "--baseline", str(baseline))
    assert result.returncode == 0, describe(result)
    assert document["violations"] == []

    # A new problem in the same file fails the run, and is the only one shown.
    text = old.read_text(encoding="utf-8").replace("status: online", "status: live")
    old.write_text(text, encoding="utf-8")
    result, document = lint_json(run_tagctl, sample_catalog, "--baseline", str(baseline))
    assert result.returncode == 1, describe(result)
    assert [(v["rel"], v["code"]) for v in document["violations"]] == [
        ("tags/behavior/old_problem.yaml", "TG104")
    ]

    # So does one in a new file.
    add_tag(sample_catalog, "new_problem", sensitivity="secret")
    result, document = lint_json(run_tagctl, sample_catalog, "--baseline", str(baseline))
    assert result.returncode == 1
    assert sorted((v["rel"], v["code"]) for v in document["violations"]) == [
        ("tags/behavior/new_problem.yaml", "TG104"),
        ("tags/behavior/old_problem.yaml", "TG104"),
    ]


def test_a_baseline_holds_a_passed_sunset_on_the_days_after(
    sample_catalog: Path, run_tagctl: Run
) -> None:
    """The count of days since a sunset grows daily; the problem stays baselined."""
    rel = "tags/prediction/churn_risk_score.yaml"
    baseline = sample_catalog.parent / "baseline.json"
    written = run_tagctl(
        "lint", "--today", "2026-11-20", "--write-baseline", str(baseline), cwd=sample_catalog
    )
    assert written.returncode == 0, describe(written)
    stored = [e for e in json.loads(baseline.read_text(encoding="utf-8"))["violations"]]
    assert {
        "path": rel,
        "code": "TG403",
        "json_path": "deprecation.sunset",
        "message": "sunset 2026-11-01 has passed",
    } in stored

    _, later = lint_json(run_tagctl, sample_catalog, "--today", "2027-01-09")
    assert "(69 days ago)" in next(
        v["message"] for v in later["violations"] if v["code"] == "TG403"
    )
    result, document = lint_json(
        run_tagctl, sample_catalog, "--today", "2027-01-09", "--baseline", str(baseline)
    )
    assert result.returncode == 0, describe(result)
    assert document["violations"] == []

    # A baseline whose messages still carry a day count holds as well.
    for entry in stored:
        if entry["code"] == "TG403":
            entry["message"] += " (19 days ago)"
    baseline.write_text(json.dumps({"version": 1, "violations": stored}), encoding="utf-8")
    result, document = lint_json(
        run_tagctl, sample_catalog, "--today", "2026-12-02", "--baseline", str(baseline)
    )
    assert result.returncode == 0, describe(result)
    assert document["violations"] == []


def test_baseline_is_independent_of_the_working_folder(
    sample_catalog: Path, run_tagctl: Run
) -> None:
    add_tag(sample_catalog, "old_problem", version="1.2")
    baseline = sample_catalog.parent / "baseline.json"
    run_tagctl("lint", "--write-baseline", str(baseline), cwd=sample_catalog)
    subfolder = sample_catalog / "tags" / "behavior"
    result = run_tagctl("lint", "--baseline", str(baseline), cwd=subfolder)
    assert result.returncode == 0, describe(result)


# --- inline suppression

_SHORT = "description: Too short.\n"


@pytest.mark.parametrize(
    ("case", "suppressed"),
    [
        ("none", False),
        ("trailing", True),
        ("line_above", True),
        ("file_header", True),
        ("trailing_on_another_line", False),
        ("another_code", False),
    ],
)
def test_inline_suppression(
    case: str, suppressed: bool, sample_catalog: Path, run_tagctl: Run
) -> None:
    text = tag_yaml("short_text")
    line = next(line for line in text.splitlines(keepends=True) if line.startswith("description"))
    marker = "# tagctl: disable=TG505"
    replacement = {
        "none": _SHORT,
        "trailing": f"description: Too short.  {marker}\n",
        "line_above": f"{marker}\n{_SHORT}",
        "file_header": _SHORT,
        "trailing_on_another_line": _SHORT,
        "another_code": "description: Too short.  # tagctl: disable=TG201\n",
    }[case]
    text = text.replace(line, replacement)
    if case == "file_header":
        text = f"{marker}\n" + text
    if case == "trailing_on_another_line":
        text = text.replace("version: 1.0.0\n", f"version: 1.0.0  {marker}\n")
    (sample_catalog / "tags" / "behavior" / "short_text.yaml").write_text(text, encoding="utf-8")
    result, document = lint_json(run_tagctl, sample_catalog)
    mine = codes(document, "tags/behavior/short_text.yaml")
    if suppressed:
        assert mine == [], describe(result)
        assert document["summary"]["suppressed"] == 1
    else:
        assert mine == ["TG505"], describe(result)
        assert document["summary"]["suppressed"] == 0


def test_suppression_of_an_error_changes_the_exit_code(
    sample_catalog: Path, run_tagctl: Run
) -> None:
    path = add_tag(sample_catalog, "old_version", version="1.2")
    assert run_tagctl("lint", cwd=sample_catalog).returncode == 1
    text = path.read_text(encoding="utf-8").replace(
        "version: 1.2\n", "version: 1.2  # tagctl: disable=TG103\n"
    )
    path.write_text(text, encoding="utf-8")
    result = run_tagctl("lint", cwd=sample_catalog)
    assert result.returncode == 0, describe(result)
    assert "1 suppressed" in result.stdout


# --- the cache

CACHE = Path(".tagctl") / "cache" / "lint.json"


def age_files(catalog: Path, seconds: float = 3600) -> None:
    """Make every file look edited long ago, as in a real checkout."""
    then = time.time() - seconds
    for path in catalog.rglob("*"):
        if path.is_file() and ".tagctl" not in path.parts:
            os.utime(path, (then, then))


def test_second_run_is_identical(troubled_catalog: Path, run_tagctl: Run) -> None:
    age_files(troubled_catalog)
    first = run_tagctl("lint", cwd=troubled_catalog)
    assert (troubled_catalog / CACHE).is_file()
    second = run_tagctl("lint", cwd=troubled_catalog)
    third = run_tagctl("lint", cwd=troubled_catalog)
    uncached = run_tagctl("lint", "--no-cache", cwd=troubled_catalog)
    outputs = {(r.returncode, r.stdout, r.stderr) for r in (first, second, third, uncached)}
    assert len(outputs) == 1, describe(first) + describe(second)


@pytest.mark.parametrize("aged", [False, True], ids=["just-written", "old-files"])
def test_an_edit_is_noticed(aged: bool, sample_catalog: Path, run_tagctl: Run) -> None:
    path = add_tag(sample_catalog, "edited_tag")
    if aged:
        age_files(sample_catalog)
    assert run_tagctl("lint", cwd=sample_catalog).returncode == 0
    if aged:
        time.sleep(0.05)
    original = path.read_text(encoding="utf-8")
    path.write_text(original.replace("status: online", "status: onlin3"), encoding="utf-8")
    result = run_tagctl("lint", cwd=sample_catalog)
    assert result.returncode == 1, describe(result)
    assert [f.code for f in text_findings(result.stdout)["tags/behavior/edited_tag.yaml"]] == [
        "TG104"
    ]
    path.write_text(original, encoding="utf-8")
    result = run_tagctl("lint", cwd=sample_catalog)
    assert result.returncode == 0, describe(result)


def test_a_deleted_file_is_forgotten(troubled_catalog: Path, run_tagctl: Run) -> None:
    assert run_tagctl("lint", cwd=troubled_catalog).returncode == 1
    (troubled_catalog / "tags" / "behavior" / "bad_version.yaml").unlink()
    result = run_tagctl("lint", cwd=troubled_catalog)
    assert result.returncode == 0, describe(result)
    assert "bad_version" not in result.stdout


def test_editing_tagctl_yaml_invalidates_the_cache(sample_catalog: Path, run_tagctl: Run) -> None:
    add_tag(sample_catalog, "short_text", description="Too short.")
    age_files(sample_catalog)
    config = sample_catalog / "tagctl.yaml"
    original = config.read_text(encoding="utf-8")
    assert "TG505: warning" in original

    result = run_tagctl("lint", cwd=sample_catalog)
    assert result.returncode == 0, describe(result)
    assert "TG505" in result.stdout

    config.write_text(original.replace("TG505: warning", "TG505: error"), encoding="utf-8")
    result, document = lint_json(run_tagctl, sample_catalog)
    assert result.returncode == 1, describe(result)
    severities = {v["severity"] for v in document["violations"] if v["code"] == "TG505"}
    assert severities == {"error"}

    config.write_text(original.replace("TG505: warning", "TG505: off"), encoding="utf-8")
    result, document = lint_json(run_tagctl, sample_catalog)
    assert result.returncode == 0, describe(result)
    assert "TG505" not in codes(document)

    config.write_text(original, encoding="utf-8")
    result = run_tagctl("lint", cwd=sample_catalog)
    assert result.returncode == 0, describe(result)
    assert "TG505" in result.stdout


def test_editing_the_naming_rules_invalidates_the_cache(
    sample_catalog: Path, run_tagctl: Run
) -> None:
    """A file-rule outcome that depends on tagctl.yaml (the vocabulary) is recomputed."""
    age_files(sample_catalog)
    assert run_tagctl("lint", cwd=sample_catalog).returncode == 0
    config = sample_catalog / "tagctl.yaml"
    text = config.read_text(encoding="utf-8")
    assert "visit, view," in text
    config.write_text(text.replace("visit, view,", "view,", 1), encoding="utf-8")
    result = run_tagctl("lint", cwd=sample_catalog)
    assert result.returncode == 1, describe(result)
    assert "TG203" in result.stdout


@pytest.mark.parametrize(
    "corruption", ["garbage", "truncated", "empty", "list", "wrong_entries", "wrong_findings"]
)
def test_a_corrupt_cache_is_ignored(
    corruption: str, troubled_catalog: Path, run_tagctl: Run
) -> None:
    age_files(troubled_catalog)
    reference = run_tagctl("lint", cwd=troubled_catalog)
    cache = troubled_catalog / CACHE
    good = cache.read_text(encoding="utf-8")
    stored = json.loads(good)
    if corruption == "garbage":
        cache.write_bytes(b"\x00\xff\xfe garbage {{{ \x89PNG")
    elif corruption == "truncated":
        cache.write_text(good[: len(good) // 2], encoding="utf-8")
    elif corruption == "empty":
        cache.write_bytes(b"")
    elif corruption == "list":
        cache.write_text("[1, 2, 3]", encoding="utf-8")
    elif corruption == "wrong_entries":
        # The right key, so that the entries are trusted, but entries of the wrong shape.
        broken = [[], 7, None, "x", {"a": 1}]
        for column in ("findings", "suppressions", "stats"):
            stored[column] = [broken[index % len(broken)] for index in range(len(stored[column]))]
        cache.write_text(json.dumps(stored), encoding="utf-8")
    else:
        stored["findings"] = [[["TG001"], "not a finding"] for _ in stored["findings"]]
        cache.write_text(json.dumps(stored), encoding="utf-8")
    result = run_tagctl("lint", cwd=troubled_catalog)
    no_traceback(result)
    assert (result.returncode, result.stdout, result.stderr) == (
        reference.returncode,
        reference.stdout,
        reference.stderr,
    ), describe(reference) + describe(result)
    again = run_tagctl("lint", cwd=troubled_catalog)
    assert again.stdout == reference.stdout
    json.loads(cache.read_text(encoding="utf-8"))


def test_cross_file_problems_follow_the_files_and_the_day(
    sample_catalog: Path, run_tagctl: Run
) -> None:
    """The cross-file problems kept from the last run are used only for the same catalog
    on the same day: an edit in any file, a new file, a removed one or another day
    gives what a run without the cache gives."""
    age_files(sample_catalog)

    def same_as_uncached(*args: str) -> dict[str, Any]:
        cached, document = lint_json(run_tagctl, sample_catalog, *args)
        _, uncached = lint_json(run_tagctl, sample_catalog, "--no-cache", *args)
        assert document["violations"] == uncached["violations"], describe(cached)
        return document

    assert "TG301" not in codes(same_as_uncached())
    user = add_tag(sample_catalog, "uses_a_later_tag", extra="depends_on: [later_tag]\n")
    assert codes(same_as_uncached(), "tags/behavior/uses_a_later_tag.yaml") == ["TG301"]
    assert codes(same_as_uncached(), "tags/behavior/uses_a_later_tag.yaml") == ["TG301"]
    later = add_tag(sample_catalog, "later_tag")
    assert "TG301" not in codes(same_as_uncached())
    later.unlink()
    assert codes(same_as_uncached(), "tags/behavior/uses_a_later_tag.yaml") == ["TG301"]
    user.unlink()

    add_tag(
        sample_catalog,
        "sunset_tag",
        status="deprecated",
        extra="deprecation:\n  reason: Merged into visit_product_30d.\n"
        "  sunset: 2026-06-30\n  deprecated_at: 2026-01-01\n  deprecated_by: li.na\n"
        "  replaced_by: visit_product_30d\n",
    )
    before = codes(same_as_uncached("--today", "2026-06-30"), "tags/behavior/sunset_tag.yaml")
    after = codes(same_as_uncached("--today", "2026-07-01"), "tags/behavior/sunset_tag.yaml")
    assert "TG403" not in before
    assert "TG403" in after
    assert codes(same_as_uncached("--today", "2026-06-30"), "tags/behavior/sunset_tag.yaml") == (
        before
    )


@pytest.mark.parametrize("damage", ["missing", "garbage", "other_digests", "wrong_rows"])
def test_a_damaged_summaries_file_costs_only_speed(
    damage: str, sample_catalog: Path, run_tagctl: Run
) -> None:
    """The tags' summaries live in their own cache file, read when the cross-file rules
    run; rows that are missing, unreadable or of other contents are checked again."""
    add_tag(sample_catalog, "needs_a_tag", extra="depends_on: [missing_tag]\n")
    age_files(sample_catalog)
    reference = run_tagctl("lint", cwd=sample_catalog)
    assert "TG301" in reference.stdout, describe(reference)
    folder = sample_catalog / ".tagctl" / "cache"
    summaries = folder / "summaries.json"
    stored = json.loads(summaries.read_text(encoding="utf-8"))
    if damage == "missing":
        summaries.unlink()
    elif damage == "garbage":
        summaries.write_bytes(b"\x00{{ not json")
    elif damage == "other_digests":
        stored["digests"] = ["0" * 32 for _ in stored["digests"]]
        summaries.write_text(json.dumps(stored), encoding="utf-8")
    else:
        stored["summaries"] = [[7] for _ in stored["summaries"]]
        summaries.write_text(json.dumps(stored), encoding="utf-8")
    index = json.loads((folder / "lint.json").read_text(encoding="utf-8"))
    index["catalog"] = ["", []]  # forget the cross-file problems: the rules run again
    (folder / "lint.json").write_text(json.dumps(index), encoding="utf-8")
    for _ in range(2):
        result = run_tagctl("lint", cwd=sample_catalog)
        no_traceback(result)
        assert (result.returncode, result.stdout) == (reference.returncode, reference.stdout)


def test_an_unwritable_cache_folder_is_no_error(sample_catalog: Path, run_tagctl: Run) -> None:
    (sample_catalog / ".tagctl").write_text("a file where the state folder should be")
    result = run_tagctl("lint", cwd=sample_catalog)
    no_traceback(result)
    assert result.returncode == 0, describe(result)
    assert result.stderr == ""


# --- parallel workers


def generated_catalog(root: Path, count: int = 500) -> Path:
    """A catalog of `count` generated tags with problems of many kinds, some across files."""
    (root / "tags" / "behavior").mkdir(parents=True)
    (root / "tags" / "profile").mkdir(parents=True)
    (root / "tagctl.yaml").write_text(
        (ROOT / "tag-catalog" / "tagctl.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    for index in range(count):
        name = f"generated_tag_{index:03d}"
        fields: dict[str, Any] = {}
        extra = ""
        if index % 7 == 0:
            fields["description"] = "Too short."
        if index % 5 == 0:
            extra += f"depends_on: [generated_tag_{(index + 1) % count:03d}]\n"
        if index % 11 == 0:
            extra = "depends_on: [no_such_tag]\n"
        if index % 13 == 0:
            fields["version"] = "1.2"
        if index % 29 == 0:
            fields["display_name"] = "\n  zh: 重复名称\n  en: Duplicate name"
        category = "profile" if index % 3 == 0 else "behavior"
        folder = category
        if index % 31 == 0:
            folder = "behavior" if category == "profile" else "profile"
        text = tag_yaml(name, category=category, extra=extra, **fields)
        if index % 17 == 0:
            text = text.replace("status: online", 'status: "online')
        if index % 41 == 0:
            text = text.replace("refresh: daily", "refresh: daily\nrefresh: weekly")
        path = root / "tags" / folder / f"{name}.yaml"
        path.write_bytes(text.encode("gbk") if index % 97 == 0 else text.encode("utf-8"))
    # Cycles and duplicate names across files.
    for first, second in (("cycle_a", "cycle_b"), ("cycle_b", "cycle_a")):
        (root / "tags" / "behavior" / f"{first}.yaml").write_text(
            tag_yaml(first, extra=f"depends_on: [{second}]\n"), encoding="utf-8"
        )
    (root / "tags" / "profile" / "copy_of_003.yaml").write_text(
        tag_yaml("generated_tag_003", category="profile"), encoding="utf-8"
    )
    return root


def test_jobs_2_finds_what_jobs_1_finds(tmp_path: Path, run_tagctl: Run) -> None:
    catalog = generated_catalog(tmp_path / "generated")
    serial, one = lint_json(run_tagctl, catalog, "--no-cache", "--jobs", "1")
    parallel, two = lint_json(run_tagctl, catalog, "--jobs", "2")  # cold: writes the cache
    assert serial.returncode == parallel.returncode == 1
    assert one["summary"]["files_checked"] >= 500
    kinds = set(codes(one))
    assert {"TG001", "TG002", "TG003", "TG005", "TG006", "TG103", "TG301", "TG302"} <= kinds
    assert one["violations"] == two["violations"]
    assert one["summary"] == two["summary"]
    # What the parallel workers stored in the cache gives the same answer.
    _, warm = lint_json(run_tagctl, catalog, "--jobs", "2")
    assert warm["violations"] == one["violations"]


# --- finding the catalog


def catalog_of(result: subprocess.CompletedProcess[str]) -> str:
    no_traceback(result)
    assert result.returncode in (0, 1), describe(result)
    return str(json.loads(result.stdout)["catalog"])


def test_run_from_the_catalog_folder(sample_catalog: Path, run_tagctl: Run) -> None:
    result = run_tagctl("lint", "--format", "json", cwd=sample_catalog)
    assert Path(catalog_of(result)) == sample_catalog.resolve()


def test_run_from_a_subfolder(sample_catalog: Path, run_tagctl: Run) -> None:
    add_tag(sample_catalog, "bad_version", version="1.2")
    result = run_tagctl("lint", "--format", "json", cwd=sample_catalog / "tags" / "behavior")
    assert Path(catalog_of(result)) == sample_catalog.resolve()
    document = json.loads(result.stdout)
    assert document["summary"]["files_checked"] == len(tag_files(sample_catalog))
    assert [v["rel"] for v in document["violations"] if v["severity"] == "error"] == [
        "tags/behavior/bad_version.yaml"
    ]


def test_run_with_catalog_option(sample_catalog: Path, tmp_path: Path, run_tagctl: Run) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = run_tagctl("lint", "--format", "json", "--catalog", str(sample_catalog), cwd=elsewhere)
    assert Path(catalog_of(result)) == sample_catalog.resolve()
    assert json.loads(result.stdout)["summary"]["files_checked"] == len(tag_files(sample_catalog))


def test_run_from_a_folder_holding_tag_catalog(sample_catalog: Path, run_tagctl: Run) -> None:
    assert sample_catalog.name == "tag-catalog"
    result = run_tagctl("lint", "--format", "json", cwd=sample_catalog.parent)
    assert Path(catalog_of(result)) == sample_catalog.resolve()


def test_validate_finds_the_catalog_the_same_way(sample_catalog: Path, run_tagctl: Run) -> None:
    result = run_tagctl("validate", cwd=sample_catalog / "tags" / "profile")
    no_traceback(result)
    assert result.returncode == 0, describe(result)


def test_no_catalog_anywhere_exits_2(tmp_path: Path, run_tagctl: Run) -> None:
    nowhere = tmp_path / "nowhere"
    nowhere.mkdir()
    if any((folder / "tagctl.yaml").exists() for folder in (nowhere, *nowhere.parents)):
        pytest.skip("a tagctl.yaml above the temporary folder")
    for command in ("lint", "validate"):
        result = run_tagctl(command, cwd=nowhere)
        no_traceback(result)
        assert result.returncode == 2, describe(result)
        assert result.stdout == ""
        message = one_line_error(result)
        assert "tagctl.yaml" in message and "--catalog" in message


def test_catalog_option_without_tagctl_yaml_exits_2(tmp_path: Path, run_tagctl: Run) -> None:
    result = run_tagctl("lint", "--catalog", str(tmp_path), cwd=tmp_path)
    no_traceback(result)
    assert result.returncode == 2, describe(result)
    assert "tagctl.yaml" in one_line_error(result)


# --- validate


def test_validate_reports_schema_errors_but_not_naming(
    sample_catalog: Path, run_tagctl: Run
) -> None:
    add_tag(sample_catalog, "bad_version", version="1.2")
    add_tag(
        sample_catalog,
        "purchse_serum_30d",
        type="rule",
        extra="window: 30d\nlogic: SELECT user_id FROM dws.orders\n",
    )
    add_tag(sample_catalog, "Bad-Case-Name", category="profile")

    lint, linted = lint_json(run_tagctl, sample_catalog)
    assert {"TG103", "TG201", "TG203"} <= set(codes(linted)), describe(lint)

    result = run_tagctl("validate", "--format", "json", cwd=sample_catalog)
    no_traceback(result)
    assert result.returncode == 1, describe(result)
    validated = codes(json.loads(result.stdout))
    assert "TG103" in validated
    assert all(code[:3] in ("TG0", "TG1") for code in validated), validated


def test_validate_passes_when_only_naming_is_wrong(sample_catalog: Path, run_tagctl: Run) -> None:
    add_tag(
        sample_catalog,
        "purchse_serum_30d",
        type="rule",
        extra="window: 30d\nlogic: SELECT user_id FROM dws.orders\n",
    )
    assert run_tagctl("lint", cwd=sample_catalog).returncode == 1
    result = run_tagctl("validate", cwd=sample_catalog)
    no_traceback(result)
    assert result.returncode == 0, describe(result)


def test_validate_given_a_file(sample_catalog: Path, run_tagctl: Run) -> None:
    add_tag(sample_catalog, "bad_version", version="1.2")
    good = run_tagctl("validate", "tags/behavior/visit_store_30d.yaml", cwd=sample_catalog)
    assert good.returncode == 0, describe(good)
    bad = run_tagctl("validate", "tags/behavior/bad_version.yaml", cwd=sample_catalog)
    assert bad.returncode == 1, describe(bad)
    assert [f.code for f in text_findings(bad.stdout)["tags/behavior/bad_version.yaml"]] == [
        "TG103"
    ]


# --- colour


def test_no_ansi_codes_when_not_a_terminal(troubled_catalog: Path, run_tagctl: Run) -> None:
    for args in (["lint"], ["validate"], ["lint", "--format", "github"], ["lint", "--bogus"]):
        result = run_tagctl(*args, cwd=troubled_catalog)
        assert not ANSI.search(result.stdout + result.stderr), describe(result)


def test_no_ansi_codes_with_no_color(troubled_catalog: Path, run_tagctl: Run) -> None:
    result = run_tagctl("lint", cwd=troubled_catalog, env={"NO_COLOR": "1"})
    assert result.returncode == 1
    assert not ANSI.search(result.stdout + result.stderr), describe(result)


@pytest.mark.parametrize(
    "args", [["lint"], ["lint", "--no-such-flag"], ["lint", "--help"]], ids=" ".join
)
def test_no_ansi_codes_with_no_color_on_a_terminal(
    args: list[str], troubled_catalog: Path, run_tagctl_in_terminal: Callable[..., Any]
) -> None:
    _, output = run_tagctl_in_terminal(args, cwd=troubled_catalog, env={"NO_COLOR": "1"})
    assert output.strip()
    assert not ANSI.search(output), f"ANSI escape codes despite NO_COLOR=1:\n{output[:600]!r}"


def test_colour_on_a_terminal_without_no_color(
    troubled_catalog: Path, run_tagctl_in_terminal: Callable[..., Any]
) -> None:
    """The control of the test above: on a terminal, lint does colour its output."""
    code, output = run_tagctl_in_terminal(["lint"], cwd=troubled_catalog)
    assert code == 1
    assert ANSI.search(output)
