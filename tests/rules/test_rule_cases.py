"""Every case of tests/rules/cases/: a small catalog is linted, one rule's positions compared.

Each case gets a fresh catalog in tmp_path: `tagctl.yaml` (TEST_CONFIG with
the case's `config` merged in; naming comes from tagctl's packaged defaults)
and the case's files. Only the violations of the case's rule count.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import gitrepo
import pytest
import yaml
from rulecases import Case, FileSpec, all_cases, merge, use_core_schema

import tagctl.catalog.schema
from tagctl.lint.engine import LintRequest, lint
from tagctl.lint.result import Violation
from tagctl.rules import registry

TEST_CONFIG: dict[str, Any] = {
    "catalog": {"name": "rule cases"},
    "categories": {
        "profile": {"zh": "基础属性", "en": "Profile"},
        "behavior": {"zh": "行为偏好", "en": "Behavior"},
        "transaction": {"zh": "交易消费", "en": "Transaction"},
        "preference": {"zh": "兴趣偏好", "en": "Preference"},
        "medical": {"zh": "医美服务", "en": "Medical aesthetics"},
        "lifecycle": {"zh": "生命周期", "en": "Lifecycle"},
        "prediction": {"zh": "预测模型", "en": "Prediction"},
        "strategy": {"zh": "营销策略", "en": "Strategy"},
    },
}

CASES = all_cases()


class _Dumper(yaml.SafeDumper):
    """Block style, indented lists, `|` for multi-line text, no anchors, YAML 1.2 quoting."""

    def ignore_aliases(self, data: Any) -> bool:
        return True

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)

    def represent_text(self, value: str) -> yaml.ScalarNode:
        style = "|" if "\n" in value else None
        return self.represent_scalar("tag:yaml.org,2002:str", value, style=style)


use_core_schema(_Dumper)
_Dumper.add_representer(str, _Dumper.represent_text)


def dump(data: Mapping[str, Any]) -> str:
    """`data` as YAML, keys in their given order, the same text every time."""
    return yaml.dump(
        dict(data), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=4096, indent=2
    )


def write_entry(root: Path, spec: FileSpec) -> None:
    path = root / spec.file
    path.parent.mkdir(parents=True, exist_ok=True)
    if spec.symlink is not None:
        os.symlink(spec.symlink, path)
    elif spec.fifo:
        os.mkfifo(path)
    elif spec.raw is not None:
        path.write_bytes(spec.raw)
    else:
        text = dump(spec.tag) if spec.tag is not None else spec.text
        assert text is not None
        path.write_bytes(text.encode(spec.encoding))


def write_catalog(root: Path, case: Case) -> None:
    (root / "tagctl.yaml").write_text(dump(merge(TEST_CONFIG, case.config or {})), "utf-8")
    if case.base is not None:
        gitrepo.init(root)
        for spec in case.base:
            write_entry(root, spec)
        gitrepo.commit(root, "base")
        shutil.rmtree(root / "tags")
    for spec in case.files:
        write_entry(root, spec)


@contextmanager
def extended_tag_schema(overrides: Mapping[str, Any] | None) -> Iterator[None]:
    """The tag schema with `overrides` merged in, while the block runs."""
    if not overrides:
        yield
        return
    original = tagctl.catalog.schema.load_schema

    def load(name: str) -> dict[str, Any]:
        schema = original(name)
        return merge(schema, overrides) if name == "tag" else schema

    memoised = tagctl.catalog.schema._reference_validator  # built once per schema name
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(tagctl.catalog.schema, "load_schema", load)
        memoised.cache_clear()
        try:
            yield
        finally:
            memoised.cache_clear()


def run_case(root: Path, case: Case) -> list[Violation]:
    """The case's rule's violations, in the engine's order."""
    write_catalog(root, case)
    with extended_tag_schema(case.schema):
        against = "HEAD" if case.base is not None else None
        result = lint(LintRequest(catalog=root, today=case.today, cache=False, against=against))
    return [violation for violation in result.violations if violation.code == case.rule]


def positions_by_file(violations: list[Violation]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for violation in violations:
        found.setdefault(violation.rel, []).append(f"{violation.line}:{violation.column}")
    return found


def expected_severity(case: Case) -> str:
    """The rule's default severity, unless the case's config sets another."""
    settings = (case.config or {}).get("lint", {}).get("rules", {}).get(case.rule)
    if isinstance(settings, str):
        return settings
    if isinstance(settings, Mapping) and "severity" in settings:
        return str(settings["severity"])
    return registry()[case.rule].severity


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_rule_case(case: Case, tmp_path: Path) -> None:
    violations = run_case(tmp_path, case)
    expected = {file: list(found) for file, found in case.expect.items() if found}
    assert positions_by_file(violations) == expected, "\n".join(
        f"{v.rel}:{v.line}:{v.column} {v.message}" for v in violations
    )
    rule = registry()[case.rule]
    for violation in violations:
        assert violation.message.strip(), violation
        assert violation.severity == expected_severity(case), violation
        assert violation.rule == rule.name, violation
