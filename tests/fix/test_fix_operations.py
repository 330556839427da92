"""A rule's fix is data: the editor carries its operations out, or says why it cannot."""

from __future__ import annotations

import datetime as dt

from tagctl.edit.fixes import Applied, apply_fix
from tagctl.rulekit import AddChangelog, Fix, NoFix, RenameFile, Reorder, SetValue

TEXT = """\
# a comment the fix must keep
version: 1.1.0   # trailing comment
name: visit_store_7d
changelog:
  - {version: 1.0.0, date: 2026-01-05, change: first}
"""


def test_set_value_keeps_the_comments() -> None:
    outcome = apply_fix(TEXT, Fix("set", (SetValue(("name",), "visit_store_30d"),)))
    assert outcome == Applied(TEXT.replace("visit_store_7d", "visit_store_30d"))


def test_operations_run_in_order_and_a_rename_leaves_the_text() -> None:
    fix = Fix(
        "several",
        (
            Reorder(("name", "version", "changelog")),
            AddChangelog("1.1.0", "TODO: say what changed", dt.date(2026, 11, 23)),
            RenameFile("visit_store_7d.yaml"),
        ),
    )
    outcome = apply_fix(TEXT, fix)
    assert isinstance(outcome, Applied)
    assert outcome.rename == "visit_store_7d.yaml"
    lines = outcome.text.splitlines()
    assert lines[:3] == [
        "# a comment the fix must keep",
        "name: visit_store_7d",
        "version: 1.1.0   # trailing comment",
    ]
    assert lines[-1] == '  - {version: 1.1.0, date: 2026-11-23, change: "TODO: say what changed"}'


def test_an_operation_the_editor_refuses_becomes_the_reason() -> None:
    flow = "{name: visit_store_7d, version: 1.0.0}\n"
    outcome = apply_fix(flow, Fix("reorder", (Reorder(("version", "name")),)))
    assert isinstance(outcome, NoFix)
    assert "flow mapping" in outcome.reason


def test_an_edit_that_cannot_be_made_safely_is_refused_with_its_message() -> None:
    outcome = apply_fix("name: [a, b\n", Fix("set", (SetValue(("name",), "x"),)))
    assert isinstance(outcome, NoFix)
    assert outcome.reason.startswith("not readable as YAML")
