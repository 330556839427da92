"""What every rule owes its users: documentation, a stable identity, cases, typed options."""

from __future__ import annotations

import dataclasses
import datetime as dt
import inspect
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
from rulecases import CaseFile, case_paths, read_case_file

from tagctl.lint.engine import LintRequest, lint
from tagctl.rules import ALL, CatalogRule, FileRule, Rule, registry

SAMPLE_CATALOG = Path(__file__).parents[2] / "tag-catalog"
SAMPLE_TODAY = dt.date(2026, 11, 23)

_CODE = re.compile(r"TG[0-9]{3}")
_KEBAB = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
_SENTENCE = re.compile(r"[A-Z`].*\.")

RULES = list(registry().values())
CASE_FILES = {path.stem: read_case_file(path) for path in case_paths()}


def rule_id(rule: type[Rule]) -> str:
    return rule.code


@pytest.mark.parametrize("rule", RULES, ids=rule_id)
def test_documentation(rule: type[Rule]) -> None:
    lines = rule.documentation().splitlines()
    assert len(lines) >= 3, "the docstring says what, why, and shows an example"
    assert _SENTENCE.fullmatch(lines[0]), f"first line is not a sentence: {lines[0]!r}"
    assert lines[1] == "", "the first line is a summary of its own"
    assert rule.hint.strip(), "a rule gives a hint"


@pytest.mark.parametrize("rule", RULES, ids=rule_id)
def test_identity(rule: type[Rule]) -> None:
    assert _CODE.fullmatch(rule.code), rule.code
    assert _KEBAB.fullmatch(rule.name), f"name is not kebab-case: {rule.name!r}"
    assert rule.severity in ("error", "warning", "off")  # off: enabled in tagctl.yaml
    expected_scope = "catalog" if issubclass(rule, CatalogRule) else "file"
    assert issubclass(rule, (FileRule, CatalogRule))
    assert rule.scope == expected_scope


@pytest.mark.parametrize("rule", RULES, ids=rule_id)
def test_module_name(rule: type[Rule]) -> None:
    module = Path(inspect.getfile(rule)).name
    assert module == f"tg{rule.code[2:]}_{rule.name.replace('-', '_')}.py"


def test_codes_and_names_unique() -> None:
    for attribute in ("code", "name"):
        counts = Counter(getattr(rule, attribute) for rule in ALL)
        assert [value for value, count in counts.items() if count > 1] == [], attribute


@pytest.mark.parametrize("rule", RULES, ids=rule_id)
def test_options_frozen(rule: type[Rule]) -> None:
    assert dataclasses.is_dataclass(rule.Options), "options are a dataclass"
    options = rule.Options()  # every option has a default
    with pytest.raises(dataclasses.FrozenInstanceError):
        options.probe = 1


@pytest.mark.parametrize("rule", RULES, ids=rule_id)
def test_has_passing_and_failing_cases(rule: type[Rule]) -> None:
    cases = CASE_FILES.get(rule.code)
    assert cases is not None, f"no tests/rules/cases/{rule.code}.yaml"
    assert any(case.passing for case in cases.cases), "no case where the rule stays silent"
    assert any(not case.passing for case in cases.cases), "no case where the rule reports"


@pytest.mark.parametrize("cases", CASE_FILES.values(), ids=list(CASE_FILES))
def test_case_file_names_a_rule(cases: CaseFile) -> None:
    assert cases.rule in registry(), f"{cases.path.name}: unknown rule {cases.rule}"
    assert cases.path.stem == cases.rule, f"{cases.path.name} holds the cases of {cases.rule}"


def test_sample_catalog_lints_clean(tmp_path: Path) -> None:
    catalog = tmp_path / "tag-catalog"
    shutil.copytree(SAMPLE_CATALOG, catalog, ignore=shutil.ignore_patterns(".tagctl"))
    result = lint(LintRequest(catalog=catalog, today=SAMPLE_TODAY, cache=False))
    errors = [
        f"{v.rel}:{v.line}:{v.column} {v.code} {v.message}"
        for v in result.violations
        if v.severity == "error"
    ]
    assert errors == []
    assert result.exit_code == 0
