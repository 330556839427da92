"""`tagctl lint --fix` end to end: what a user sees, and the bytes left on disk."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from clihelpers import describe, no_traceback, tagctl_env

Run = Callable[..., subprocess.CompletedProcess[str]]
TODAY = "2026-11-23"
GOLDEN = Path(__file__).parent / "golden"
BEHAVIOR = Path("tags/behavior")


def tagctl(
    run_tagctl: Run, catalog: Path, *args: str, code: int
) -> subprocess.CompletedProcess[str]:
    result = run_tagctl("lint", *args, "--today", TODAY, "--no-cache", cwd=catalog)
    no_traceback(result)
    assert result.returncode == code, describe(result)
    return result


def snapshot(catalog: Path) -> dict[str, bytes]:
    return {
        path.relative_to(catalog).as_posix(): path.read_bytes()
        for path in sorted((catalog / "tags").rglob("*.yaml"))
    }


def enable_key_order(catalog: Path) -> None:
    config = catalog / "tagctl.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("  rules:\n", "  rules:\n    TG010: warning\n"), "utf-8")


def mess_up(catalog: Path) -> None:
    """A misnamed file, keys out of order, and a version missing from the changelog."""
    (catalog / BEHAVIOR / "visit_store_7d.yaml").rename(catalog / BEHAVIOR / "visit_stor_7d.yaml")
    live = catalog / BEHAVIOR / "view_live_30d.yaml"
    text = live.read_text(encoding="utf-8").replace("version: 1.1.0\n", "")
    live.write_text(text.replace("refresh: hourly\n", "refresh: hourly\nversion: 1.2.0\n"), "utf-8")
    enable_key_order(catalog)


def test_fix_repairs_reports_and_exits_on_what_remains(
    sample_catalog: Path, run_tagctl: Run
) -> None:
    mess_up(sample_catalog)
    result = tagctl(run_tagctl, sample_catalog, "--fix", code=1)
    assert result.stderr.splitlines() == [
        "tagctl: fixed tags/behavior/view_live_30d.yaml: TG010 moved the top-level keys "
        "into the canonical order",
        "tagctl: fixed tags/behavior/view_live_30d.yaml: TG415 added a changelog entry "
        "for 1.2.0; replace its placeholder text",
        "tagctl: fixed tags/behavior/visit_stor_7d.yaml: TG005 renamed the file to "
        "visit_store_7d.yaml",
    ]
    assert (sample_catalog / BEHAVIOR / "visit_store_7d.yaml").exists()
    assert "TG504" in result.stdout  # the placeholder waits for a person
    for code in ("TG005", "TG010", "TG415"):
        assert code not in result.stdout, describe(result)


def test_second_fix_changes_nothing(sample_catalog: Path, run_tagctl: Run) -> None:
    mess_up(sample_catalog)
    tagctl(run_tagctl, sample_catalog, "--fix", code=1)
    files = snapshot(sample_catalog)
    again = tagctl(run_tagctl, sample_catalog, "--fix", code=1)
    assert again.stderr == ""
    assert snapshot(sample_catalog) == files


def test_dry_run_prints_the_diff_and_writes_nothing(sample_catalog: Path, run_tagctl: Run) -> None:
    mess_up(sample_catalog)
    files = snapshot(sample_catalog)
    result = tagctl(run_tagctl, sample_catalog, "--fix", "--dry-run", code=1)  # TG005: error
    assert snapshot(sample_catalog) == files
    assert "--- a/tags/behavior/view_live_30d.yaml\n" in result.stdout
    assert '+  - {version: 1.2.0, date: 2026-11-23, change: "TODO: say' in result.stdout
    assert "rename from tags/behavior/visit_stor_7d.yaml\n" in result.stdout
    assert "rename to tags/behavior/visit_store_7d.yaml\n" in result.stdout
    assert all(line.startswith("tagctl: would fix ") for line in result.stderr.splitlines())


def test_dry_run_needs_fix(sample_catalog: Path, run_tagctl: Run) -> None:
    result = tagctl(run_tagctl, sample_catalog, "--dry-run", code=2)
    assert "--dry-run goes with --fix" in result.stderr


def test_fix_with_the_renamed_file_given_as_a_path(sample_catalog: Path, run_tagctl: Run) -> None:
    mess_up(sample_catalog)
    given = (BEHAVIOR / "visit_stor_7d.yaml").as_posix()
    result = tagctl(run_tagctl, sample_catalog, "--fix", given, code=0)
    assert result.stderr.splitlines() == [
        f"tagctl: fixed {given}: TG005 renamed the file to visit_store_7d.yaml"
    ]
    assert result.stdout == "No problems in 1 file.\n"


def test_fix_keeps_machine_formats_clean(sample_catalog: Path, run_tagctl: Run) -> None:
    mess_up(sample_catalog)
    result = tagctl(run_tagctl, sample_catalog, "--fix", "--format", "json", code=1)
    document = json.loads(result.stdout)
    assert document
    assert "fixed" in result.stderr


def test_fix_writes_crlf_and_bom_files_byte_for_byte(sample_catalog: Path, run_tagctl: Run) -> None:
    for style in ("changelog-crlf-bom", "changelog-no-final-newline"):
        before = (GOLDEN / f"{style}.before.yaml").read_bytes()
        name = "visit_store_30d" if b"visit_store_30d" in before else "view_live_30d"
        target = sample_catalog / BEHAVIOR / f"{name}.yaml"
        target.write_bytes(before)
        tagctl(run_tagctl, sample_catalog, "--fix", str(target.relative_to(sample_catalog)), code=1)
        assert target.read_bytes() == (GOLDEN / f"{style}.after.yaml").read_bytes()


def test_fixes_do_not_touch_files_with_yaml_errors(sample_catalog: Path, run_tagctl: Run) -> None:
    mess_up(sample_catalog)
    broken = sample_catalog / BEHAVIOR / "visit_stor_7d.yaml"
    broken.write_text(broken.read_text(encoding="utf-8") + "oops: [\n", encoding="utf-8")
    files = snapshot(sample_catalog)
    result = tagctl(run_tagctl, sample_catalog, "--fix", str(broken), code=1)
    assert snapshot(sample_catalog) == files
    assert result.stderr == ""


def test_a_plain_lint_loads_no_fixing_code(sample_catalog: Path) -> None:
    enable_key_order(sample_catalog)
    probe = (
        "import sys\n"
        "from tagctl.lint.engine import LintRequest, lint\n"
        f"lint(LintRequest(catalog=__import__('pathlib').Path({str(sample_catalog)!r}), "
        "cache=False))\n"
        "print(sorted(m for m in sys.modules if m.startswith(('tagctl.fix', 'tagctl.edit'))))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        env=tagctl_env(),
        check=True,
    )
    assert result.stdout.strip() == "[]"


def test_list_rules_marks_the_fixable_ones(tmp_path: Path, run_tagctl: Run) -> None:
    result = run_tagctl("lint", "--list-rules", cwd=tmp_path)
    fixable = {line.split()[0] for line in result.stdout.splitlines() if " fix " in line}
    assert fixable == {"TG005", "TG010", "TG415"}
