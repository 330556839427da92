"""The lint formats render one LintResult four ways; SARIF is checked against its schema."""

from __future__ import annotations

import io
import json
from pathlib import Path

import jsonschema
import pytest

from tagctl.formats import render
from tagctl.lint.result import LintResult, Violation
from tagctl.rules import registry

DATA = Path(__file__).parent / "data"


@pytest.fixture
def result() -> LintResult:
    violations = [
        Violation(
            "tags/a.yaml",
            3,
            7,
            "TG203",
            "error",
            "name-vocabulary",
            "'vist' is not in the vocabulary 'actions'",
            "did you mean 'visit'?",
            "name",
            "tags/a.yaml",
        ),
        Violation(
            "tags/b,c.yaml",
            10,
            1,
            "TG505",
            "warning",
            "short-description",
            "100% short: a, b\nsecond line",
            "",
            "description",
            "tags/b,c.yaml",
        ),
    ]
    return LintResult(violations=violations, files_checked=5, catalog_root="/x")


def rendered(result: LintResult, fmt: str) -> str:
    stream = io.StringIO()
    render(result, fmt, stream, color=False)
    return stream.getvalue()


def test_sarif_validates_against_the_official_schema(result: LintResult) -> None:
    document = json.loads(rendered(result, "sarif"))
    schema = json.loads((DATA / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(document)
    run = document["runs"][0]
    assert [r["ruleId"] for r in run["results"]] == ["TG203", "TG505"]
    assert run["results"][0]["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 3,
        "startColumn": 7,
    }
    assert run["results"][1]["level"] == "warning"
    assert len(run["tool"]["driver"]["rules"]) == len(registry())
    index = run["results"][0]["ruleIndex"]
    assert run["tool"]["driver"]["rules"][index]["id"] == "TG203"


def test_sarif_of_a_clean_run_is_valid() -> None:
    document = json.loads(rendered(LintResult(files_checked=3), "sarif"))
    schema = json.loads((DATA / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(document)
    assert document["runs"][0]["results"] == []


def test_github_annotations_escape_properties_and_data(result: LintResult) -> None:
    lines = rendered(result, "github").splitlines()
    assert lines[0] == (
        "::error file=tags/a.yaml,line=3,col=7,title=TG203 name-vocabulary::"
        "'vist' is not in the vocabulary 'actions' (hint: did you mean 'visit'?)"
    )
    assert lines[1].startswith("::warning file=tags/b%2Cc.yaml,line=10,col=1,")
    assert lines[1].endswith("::100%25 short: a, b%0Asecond line")


def test_json_has_summary_and_every_field(result: LintResult) -> None:
    document = json.loads(rendered(result, "json"))
    assert document["summary"] == {
        "files_checked": 5,
        "errors": 1,
        "warnings": 1,
        "suppressed": 0,
        "baselined": 0,
    }
    first = document["violations"][0]
    assert first["code"] == "TG203"
    assert (first["line"], first["column"], first["json_path"]) == (3, 7, "name")


def test_text_groups_by_file_and_ends_with_a_summary(result: LintResult) -> None:
    text = rendered(result, "text")
    assert "\033[" not in text
    lines = text.splitlines()
    assert lines[0] == "tags/a.yaml"
    assert lines[1].split()[:2] == ["3:7", "error"]
    assert "hint: did you mean 'visit'?" in lines[2]
    assert lines[-1] == "1 error, 1 warning in 2 files (5 files checked)."


def test_text_colour_only_when_asked(result: LintResult) -> None:
    stream = io.StringIO()
    render(result, "text", stream, color=True)
    assert "\033[1;31merror" in stream.getvalue()
