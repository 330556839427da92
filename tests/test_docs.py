"""The README's rule table is generated from the docstrings and must be current."""

from __future__ import annotations

from pathlib import Path

from tagctl.lint.docs import END, START, rules_markdown, updated
from tagctl.rules import registry

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_rule_table_is_current() -> None:
    text = README.read_text(encoding="utf-8")
    assert START in text and END in text
    assert updated(text) == text, "run `make docs` to regenerate the rule table"


def test_rule_table_lists_every_rule_once() -> None:
    table = rules_markdown()
    for code in registry():
        assert table.count(f"| {code} |") == 1


def test_readme_names_the_two_commands() -> None:
    text = README.read_text(encoding="utf-8")
    assert "make demo" in text and "make test" in text
