"""Validation and writing of planned edits: nothing half-written, nothing invalid."""

from __future__ import annotations

import datetime as dt
import os
import stat
from pathlib import Path

import pytest

from tagctl.catalog.config import load_catalog_config
from tagctl.edit.apply import unified_diff, validate, write
from tagctl.edit.plan import FileEdit, Refused
from tagctl.errors import RuntimeFailure
from tagctl.lint.recheck import FileChecker

TODAY = dt.date(2026, 11, 23)


def an_edit(catalog: Path, after: str | None = None) -> FileEdit:
    path = catalog / "tags" / "behavior" / "visit_product_30d.yaml"
    before = path.read_text(encoding="utf-8")
    new = after if after is not None else before.replace("status: online", "status: testing")
    return FileEdit("visit_product_30d", path, before, new, "edited")


def test_write_replaces_the_file_and_keeps_its_mode(sample_catalog: Path) -> None:
    edit = an_edit(sample_catalog)
    edit.path.chmod(0o640)
    write([edit])
    assert edit.path.read_text(encoding="utf-8") == edit.after
    assert stat.S_IMODE(edit.path.stat().st_mode) == 0o640


def test_a_failed_write_leaves_the_original_intact(
    sample_catalog: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    edit = an_edit(sample_catalog)
    original = edit.path.read_bytes()

    def broken_replace(source: str, target: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(RuntimeFailure, match="No space left"):
        write([edit])
    assert edit.path.read_bytes() == original
    assert sorted(p.name for p in edit.path.parent.iterdir() if p.name.startswith(".")) == []


def test_a_file_changed_since_it_was_read_is_not_overwritten(sample_catalog: Path) -> None:
    edit = an_edit(sample_catalog)
    edit.path.write_text(edit.before + "# edited meanwhile\n", encoding="utf-8")
    with pytest.raises(RuntimeFailure, match="changed on disk"):
        write([edit])
    assert edit.path.read_text(encoding="utf-8").endswith("# edited meanwhile\n")


def test_validation_refuses_a_result_the_schema_rejects(sample_catalog: Path) -> None:
    config = load_catalog_config(sample_catalog)
    edit = an_edit(sample_catalog, an_edit(sample_catalog).before.replace("online", "gone", 1))
    with pytest.raises(Refused, match=r"visit_product_30d.yaml:\d+:\d+: .*TG104"):
        validate(FileChecker(config, TODAY), [edit])
    validate(FileChecker(config, TODAY), [an_edit(sample_catalog)])


def test_validation_ignores_errors_the_file_already_had(sample_catalog: Path) -> None:
    config = load_catalog_config(sample_catalog)
    broken = an_edit(sample_catalog).before.replace("version: 1.2.0", "version: 1.2")
    edit = FileEdit("visit_product_30d", an_edit(sample_catalog).path, broken, broken + "# x\n", "")
    validate(FileChecker(config, TODAY), [edit])


def test_unified_diff_marks_a_missing_final_newline(tmp_path: Path) -> None:
    edit = FileEdit("t", tmp_path / "t.yaml", "a: 1\nb: 2", "a: 1\nb: 3", "")
    diff = unified_diff(edit, tmp_path)
    assert diff.splitlines() == [
        "--- a/t.yaml",
        "+++ b/t.yaml",
        "@@ -1,2 +1,2 @@",
        " a: 1",
        "-b: 2",
        "\\ No newline at end of file",
        "+b: 3",
        "\\ No newline at end of file",
    ]
