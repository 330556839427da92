"""`tagctl import` end to end: exit codes, messages naming file and row, nothing half-written."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from clihelpers import SAMPLE_CATALOG, no_traceback

Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def empty(tmp_path: Path) -> Path:
    folder = tmp_path / "catalog"
    (folder / "tags").mkdir(parents=True)
    shutil.copyfile(SAMPLE_CATALOG / "tagctl.yaml", folder / "tagctl.yaml")
    return folder


def _files(folder: Path) -> dict[str, bytes]:
    """The catalog's files, without tagctl's own state (.tagctl/: caches)."""
    found = {p.relative_to(folder).as_posix(): p for p in folder.rglob("*") if p.is_file()}
    return {
        name: path.read_bytes() for name, path in found.items() if not name.startswith(".tagctl/")
    }


def test_export_then_import_then_export_gives_the_same_csv(
    run_tagctl: Run, empty: Path, tmp_path: Path
) -> None:
    exported = run_tagctl("export", "-f", "csv", "--catalog", SAMPLE_CATALOG)
    assert exported.returncode == 0
    source = tmp_path / "tags.csv"
    source.write_text(exported.stdout, encoding="utf-8")

    imported = run_tagctl("import", source, "--catalog", empty)

    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.splitlines()[-2].startswith(
        "73 written, 0 unchanged (skipped), 0 renamed"
    )
    assert "tagctl lint --write-baseline" in imported.stdout
    again = run_tagctl("export", "-f", "csv", "--catalog", empty)
    assert again.stdout == exported.stdout
    second = run_tagctl("import", source, "--catalog", empty)
    assert second.returncode == 0 and "0 to write, 73 unchanged (skipped)" in second.stdout


def test_rows_with_problems_exit_1_and_strict_writes_nothing(
    run_tagctl: Run, empty: Path, tmp_path: Path
) -> None:
    source = tmp_path / "tags.csv"
    source.write_text("标签编码,标签分类\nvisit_app_30d,行为偏好\n,behavior\n", encoding="utf-8")
    before = _files(empty)

    strict = run_tagctl("import", source, "--catalog", empty, "--strict")

    assert strict.returncode == 1 and _files(empty) == before
    assert "problem: row 3: no name" in strict.stdout
    assert "nothing written: --strict, and 1 rows have problems" in strict.stdout
    lenient = run_tagctl("import", source, "--catalog", empty)
    assert lenient.returncode == 1 and (empty / "tags/behavior/visit_app_30d.yaml").is_file()


def test_dry_run_writes_nothing_and_json_says_what_it_would(
    run_tagctl: Run, empty: Path, tmp_path: Path
) -> None:
    source = tmp_path / "tags.csv"
    source.write_text("Tag Name,Category,备注\nVisit App 30D,behavior,x\n", encoding="utf-8")
    before = _files(empty)

    run = run_tagctl("import", source, "--catalog", empty, "--dry-run", "-f", "json")

    assert run.returncode == 0 and _files(empty) == before
    document = json.loads(run.stdout)
    assert document["written"] is False and document["unmapped_columns"] == ["备注"]
    assert document["files"][0]["name"] == "visit_app_30d"
    assert document["files"][0]["original"] == "Visit App 30D"
    assert document["summary"] == {"new": 1, "unchanged": 0, "renamed": 1, "problems": 0}


@pytest.mark.parametrize(
    ("args", "content", "message"),
    [
        (
            ["--map", "code=nam"],
            "code,category\nx,behavior\n",
            "unknown field: nam (did you mean name?)",
        ),
        (["--map", "编码=name"], "code,category\nx,behavior\n", "no column '编码' in the file"),
        (["--map", "code"], "code,category\nx,behavior\n", "--map: 'code' is not COLUMN=FIELD"),
        ([], "code_x,category\nx,behavior\n", "no column holds the tag name"),
        ([], 'name,category\nx,"behavior\n', "row 2: unexpected end of data"),
        ([], '{"tags": []}', "is not the JSON of `tagctl export`"),
    ],
)
def test_a_bad_file_or_flag_exits_2_and_writes_nothing(
    run_tagctl: Run, empty: Path, tmp_path: Path, args: list[str], content: str, message: str
) -> None:
    source = tmp_path / ("tags.json" if content.startswith("{") else "tags.csv")
    source.write_text(content, encoding="utf-8")
    before = _files(empty)

    run = run_tagctl("import", source, "--catalog", empty, *args)

    assert run.returncode == 2 and _files(empty) == before
    assert message in run.stderr
    no_traceback(run)


def test_a_missing_file_and_an_old_excel_format_are_named(
    run_tagctl: Run, empty: Path, tmp_path: Path
) -> None:
    missing = run_tagctl("import", tmp_path / "nope.csv", "--catalog", empty)
    assert missing.returncode == 2 and "nope.csv: no such file" in missing.stderr
    old = tmp_path / "tags.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    refused = run_tagctl("import", old, "--catalog", empty)
    assert refused.returncode == 2 and "save the sheet as .xlsx or as CSV" in refused.stderr


def test_help_lists_the_fields_and_examples(run_tagctl: Run) -> None:
    run = run_tagctl("import", "--help")
    assert run.returncode == 0
    assert "Examples:" in run.stdout and "--category-from" in run.stdout
    assert "标签编码/code -> name" in run.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--map", "a=name", "--map", "b=name"],
            "--map: name is read from 'a' already, not 'b' too",
        ),
        (
            ["--map", "a=category", "--category-from", "b"],
            "--category-from b and --map a=category disagree",
        ),
    ],
)
def test_two_columns_for_one_field_is_a_usage_error(
    run_tagctl: Run, empty: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    source = tmp_path / "tags.csv"
    source.write_text("a,b\nx,behavior\n", encoding="utf-8")
    run = run_tagctl("import", source, "--catalog", empty, *args)
    assert run.returncode == 2 and message in run.stderr


def test_a_long_cell_of_sql_is_read_whole(run_tagctl: Run, empty: Path, tmp_path: Path) -> None:
    logic = "SELECT 1\n" + "-- a long comment line\n" * 20_000
    source = tmp_path / "tags.csv"
    source.write_text('name,category,logic\nvisit_app_30d,behavior,"' + logic + '"\n', "utf-8")
    run = run_tagctl("import", source, "--catalog", empty)
    assert run.returncode == 0, run.stderr
    written = (empty / "tags/behavior/visit_app_30d.yaml").read_text(encoding="utf-8")
    assert written.count("-- a long comment line") == 20_000
