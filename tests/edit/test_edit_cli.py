"""`tagctl deprecate` and `tagctl retire` end to end, on a copy of the sample catalog.

Every test runs the real command and looks at what a user sees: the exit
code, the output and the bytes of the tag files.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from clihelpers import describe, no_traceback

from tagctl.edit.scalars import load_text

Run = Callable[..., subprocess.CompletedProcess[str]]
TODAY = "2026-11-23"
BY = "li.na@example.com"


def tag_path(catalog: Path, name: str) -> Path:
    return next((catalog / "tags").rglob(f"{name}.yaml"))


def snapshot(catalog: Path) -> dict[Path, bytes]:
    return {path: path.read_bytes() for path in sorted((catalog / "tags").rglob("*.yaml"))}


def tagctl(run_tagctl: Run, catalog: Path, *args: str, code: int = 0, **kwargs: object) -> str:
    """Run a lifecycle command on `catalog` as of TODAY; check the exit code; stdout + stderr."""
    result = run_tagctl(*args, "--today", TODAY, "--catalog", str(catalog), cwd=catalog, **kwargs)
    no_traceback(result)
    assert result.returncode == code, describe(result)
    if code == 2 or (code == 1 and "error:" in result.stderr):
        assert len(result.stderr.splitlines()) == 1, describe(result)
    return result.stdout + result.stderr


def data(catalog: Path, name: str) -> dict[str, object]:
    loaded = load_text(tag_path(catalog, name).read_bytes().decode("utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def deprecate(run_tagctl: Run, catalog: Path, *args: str, code: int = 0) -> str:
    return tagctl(run_tagctl, catalog, "deprecate", *args, "--by", BY, code=code)


# --- deprecate


def test_deprecate_edits_the_tag_and_lint_stays_clean(
    sample_catalog: Path, run_tagctl: Run
) -> None:
    output = deprecate(
        run_tagctl,
        sample_catalog,
        "visit_product_30d",
        "--reason",
        "merged into visit_app_30d",
        "--replaced-by",
        "visit_app_30d",
        "--sunset",
        "2027-03-01",
    )
    assert "deprecated visit_product_30d: version 1.2.0 -> 1.3.0, sunset 2027-03-01" in output
    tag = data(sample_catalog, "visit_product_30d")
    assert tag["status"] == "deprecated"
    assert tag["version"] == "1.3.0"
    assert tag["deprecation"] == {
        "reason": "merged into visit_app_30d",
        "replaced_by": "visit_app_30d",
        "sunset": "2027-03-01",
        "deprecated_at": TODAY,
        "deprecated_by": BY,
    }
    assert tag["changelog"][-1] == {  # type: ignore[index]
        "version": "1.3.0",
        "date": TODAY,
        "change": "Deprecated: merged into visit_app_30d",
    }
    result = run_tagctl(
        "lint", "--today", TODAY, "tags/behavior/visit_product_30d.yaml", cwd=sample_catalog
    )
    assert result.returncode == 0, describe(result)


def test_the_second_run_changes_nothing(sample_catalog: Path, run_tagctl: Run) -> None:
    args = ("visit_product_30d", "--reason", "too sparse")
    deprecate(run_tagctl, sample_catalog, *args)
    before = snapshot(sample_catalog)
    output = deprecate(run_tagctl, sample_catalog, *args)
    assert "already deprecated" in output
    assert snapshot(sample_catalog) == before


def test_default_sunset_is_90_days_ahead(sample_catalog: Path, run_tagctl: Run) -> None:
    deprecate(run_tagctl, sample_catalog, "visit_product_30d", "--reason", "too sparse")
    assert data(sample_catalog, "visit_product_30d")["deprecation"]["sunset"] == "2027-02-21"  # type: ignore[index]


def test_dry_run_prints_the_diff_and_writes_nothing(sample_catalog: Path, run_tagctl: Run) -> None:
    before = snapshot(sample_catalog)
    result = run_tagctl(
        "deprecate",
        "visit_product_30d",
        "--reason",
        "too sparse",
        "--by",
        BY,
        "--dry-run",
        "--today",
        TODAY,
        cwd=sample_catalog,
    )
    assert result.returncode == 0, describe(result)
    assert result.stdout.startswith("--- a/tags/behavior/visit_product_30d.yaml\n")
    assert "-status: online\n+status: deprecated\n" in result.stdout
    assert "dry run, nothing written" in result.stderr
    assert snapshot(sample_catalog) == before


def test_online_dependents_refuse(sample_catalog: Path, run_tagctl: Run) -> None:
    before = snapshot(sample_catalog)
    output = deprecate(run_tagctl, sample_catalog, "visit_store_30d", "--reason", "x", code=1)
    assert "online tags depend on it: churn_risk_7d" in output
    assert "--force" in output
    assert snapshot(sample_catalog) == before


def test_force_deprecates_anyway_and_warns(sample_catalog: Path, run_tagctl: Run) -> None:
    output = deprecate(run_tagctl, sample_catalog, "visit_store_30d", "--reason", "x", "--force")
    assert "warning: visit_store_30d is still used by online tags: churn_risk_7d" in output
    assert data(sample_catalog, "visit_store_30d")["status"] == "deprecated"


def test_tags_deprecated_together_do_not_hold_each_other_back(
    sample_catalog: Path, run_tagctl: Run
) -> None:
    output = deprecate(
        run_tagctl, sample_catalog, "visit_store_30d", "churn_risk_7d", "--reason", "x", code=1
    )
    assert "churn_risk_7d: online tags depend on it: winback_dormant_vip" in output
    assert "visit_store_30d:" not in output
    chain = ("visit_store_30d", "churn_risk_7d", "winback_dormant_vip")
    deprecate(run_tagctl, sample_catalog, *chain, "--reason", "x")
    assert [data(sample_catalog, name)["status"] for name in chain] == ["deprecated"] * 3


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("nope", "--reason", "x"), "unknown tag 'nope'"),
        (("visit_product_30d", "--reason", "x", "--replaced-by", "nope"), "unknown tag 'nope'"),
        (
            ("visit_product_30d", "--reason", "x", "--replaced-by", "visit_store_7d"),
            "is deprecated",
        ),
        (("visit_product_30d", "--reason", "x", "--replaced-by", "visit_product_30d"), "itself"),
        (("legacy_vip_grade", "--reason", "x"), "retired already"),
        (("visit_product_30d",), "--reason is required"),
        (("--reason", "x"), "name at least one TAG"),
        (("visit_product_30d", "--reason", "x", "--sunset", "2026-11-23"), "not after today"),
        (("visit_product_30d", "--reason", "x", "--sunset", "soon"), "not a date"),
    ],
)
def test_usage_errors_exit_2(
    sample_catalog: Path, run_tagctl: Run, args: tuple[str, ...], message: str
) -> None:
    before = snapshot(sample_catalog)
    assert message in deprecate(run_tagctl, sample_catalog, *args, code=2)
    assert snapshot(sample_catalog) == before


def test_a_bad_author_is_a_usage_error(sample_catalog: Path, run_tagctl: Run) -> None:
    output = tagctl(
        run_tagctl,
        sample_catalog,
        "deprecate",
        "visit_product_30d",
        "--reason",
        "x",
        "--by",
        "Li Na",
        code=2,
    )
    assert "--by" in output


def test_the_author_defaults_to_the_git_user(
    sample_catalog: Path, run_tagctl: Run, tmp_path: Path
) -> None:
    config = tmp_path / "gitconfig"
    config.write_text("[user]\n\temail = wang.wei@example.com\n", encoding="utf-8")
    env = {"GIT_CONFIG_GLOBAL": str(config), "GIT_CONFIG_NOSYSTEM": "1"}
    tagctl(run_tagctl, sample_catalog, "deprecate", "visit_product_30d", "--reason", "x", env=env)
    block = data(sample_catalog, "visit_product_30d")["deprecation"]
    assert block["deprecated_by"] == "wang.wei@example.com"  # type: ignore[index]


def test_an_edit_that_would_fail_lint_is_not_written(sample_catalog: Path, run_tagctl: Run) -> None:
    path = tag_path(sample_catalog, "visit_store_7d")
    path.write_bytes(
        path.read_bytes().replace(b"deprecated_at: 2026-10-12", b"deprecated_at: 2027-06-01")
    )
    before = path.read_bytes()
    output = deprecate(
        run_tagctl,
        sample_catalog,
        "visit_store_7d",
        "--reason",
        "x",
        "--sunset",
        "2027-03-01",
        code=1,
    )
    assert "would not pass lint" in output and "TG402" in output
    assert path.read_bytes() == before


def test_crlf_and_bom_survive_the_command(sample_catalog: Path, run_tagctl: Run) -> None:
    path = tag_path(sample_catalog, "visit_product_30d")
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    deprecate(run_tagctl, sample_catalog, "visit_product_30d", "--reason", "x")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.count(b"\n") == raw.count(b"\r\n")
    assert b"status: deprecated\r\n" in raw


# --- deprecate --from a review sheet

SHEET = """\
# Cleanup review, KPI run of 2026-11-20
generated_at: 2026-11-23
tags:
  visit_product_30d:
    decision: deprecate
    reason: nobody targets product views any more
    replaced_by: visit_app_30d
    sunset: 2027-02-01
    coverage: 0.004
    dependents: []
  visit_app_30d:
    decision: keep
    reason: the app team still uses it
  search_product_1d:
    decision:
"""


def test_review_sheet_applies_the_decisions(
    sample_catalog: Path, run_tagctl: Run, tmp_path: Path
) -> None:
    sheet = tmp_path / "review.yaml"
    sheet.write_text(SHEET, encoding="utf-8")
    before = snapshot(sample_catalog)
    dry = deprecate(run_tagctl, sample_catalog, "--from", str(sheet), "--dry-run")
    assert "+status: deprecated" in dry and snapshot(sample_catalog) == before
    output = deprecate(run_tagctl, sample_catalog, "--from", str(sheet))
    assert "skipped visit_app_30d: kept" in output
    assert "skipped search_product_1d: no decision" in output
    block = data(sample_catalog, "visit_product_30d")["deprecation"]
    assert block["sunset"] == "2027-02-01" and block["replaced_by"] == "visit_app_30d"  # type: ignore[index]
    assert data(sample_catalog, "visit_app_30d")["status"] == "online"
    assert data(sample_catalog, "search_product_1d")["status"] == "online"


def test_review_sheet_as_a_list(sample_catalog: Path, run_tagctl: Run, tmp_path: Path) -> None:
    sheet = tmp_path / "review.yaml"
    sheet.write_text(
        "tags:\n  - {name: visit_product_30d, decision: deprecate, reason: gone}\n",
        encoding="utf-8",
    )
    deprecate(run_tagctl, sample_catalog, "--from", str(sheet))
    assert data(sample_catalog, "visit_product_30d")["status"] == "deprecated"


@pytest.mark.parametrize(
    ("sheet", "message"),
    [
        ("tags:\n  a:\n    decision: drop\n", "review.yaml:3:15: decision 'drop'"),
        (
            "tags:\n  a:\n    decision: deprecate\n",
            "review.yaml:3:5: a: a deprecation needs a reason",
        ),
        ("tags:\n  a: {decision: keep, sunset: soon}\n", "sunset 'soon' is not a date"),
        ("other: 1\n", "no `tags:`"),
        ("tags:\n  - {name: a}\n  - {name: a}\n", "named twice"),
    ],
)
def test_review_sheet_errors_point_at_the_line(
    sample_catalog: Path, run_tagctl: Run, tmp_path: Path, sheet: str, message: str
) -> None:
    path = tmp_path / "review.yaml"
    path.write_text(sheet, encoding="utf-8")
    assert message in deprecate(run_tagctl, sample_catalog, "--from", str(path), code=2)


def test_review_sheet_excludes_tag_flags(
    sample_catalog: Path, run_tagctl: Run, tmp_path: Path
) -> None:
    path = tmp_path / "review.yaml"
    path.write_text(SHEET, encoding="utf-8")
    output = deprecate(run_tagctl, sample_catalog, "--from", str(path), "--reason", "x", code=2)
    assert "--from takes" in output


# --- retire


def test_retire_moves_the_due_tags_and_lists_the_rest(
    sample_catalog: Path, run_tagctl: Run
) -> None:
    output = tagctl(run_tagctl, sample_catalog, "retire")
    assert "retired churn_risk_score: version 1.5.0 -> 1.6.0" in output
    assert "skipped visit_store_7d: sunset 2027-01-31 has not passed" in output
    tag = data(sample_catalog, "churn_risk_score")
    assert tag["status"] == "retired"
    assert tag["changelog"][-1]["change"] == "Retired: sunset 2026-11-01 passed"  # type: ignore[index]
    assert data(sample_catalog, "visit_store_7d")["status"] == "deprecated"
    again = tagctl(run_tagctl, sample_catalog, "retire")
    assert "retired churn_risk_score" not in again


def test_retire_dry_run_writes_nothing(sample_catalog: Path, run_tagctl: Run) -> None:
    before = snapshot(sample_catalog)
    output = tagctl(run_tagctl, sample_catalog, "retire", "--dry-run")
    assert "+status: retired" in output
    assert snapshot(sample_catalog) == before


def test_retiring_a_named_tag_that_is_not_due_refuses(
    sample_catalog: Path, run_tagctl: Run
) -> None:
    before = snapshot(sample_catalog)
    output = tagctl(
        run_tagctl, sample_catalog, "retire", "churn_risk_score", "visit_store_7d", code=1
    )
    assert "visit_store_7d: sunset 2027-01-31 has not passed" in output
    assert snapshot(sample_catalog) == before
    output = tagctl(run_tagctl, sample_catalog, "retire", "visit_app_30d", code=1)
    assert "status is online, not deprecated" in output


def test_retiring_a_retired_tag_is_a_no_op(sample_catalog: Path, run_tagctl: Run) -> None:
    assert "already retired" in tagctl(run_tagctl, sample_catalog, "retire", "legacy_vip_grade")


def test_live_dependents_hold_a_retirement_back(sample_catalog: Path, run_tagctl: Run) -> None:
    path = tag_path(sample_catalog, "churn_risk_7d")
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("depends_on:\n", "depends_on:\n  - churn_risk_score\n", 1), encoding="utf-8"
    )
    output = tagctl(run_tagctl, sample_catalog, "retire")
    assert "skipped churn_risk_score: still a dependency of churn_risk_7d" in output
    assert data(sample_catalog, "churn_risk_score")["status"] == "deprecated"


def test_retire_later_retires_more(sample_catalog: Path, run_tagctl: Run) -> None:
    result = run_tagctl("retire", "--today", "2027-02-15", cwd=sample_catalog)
    assert result.returncode == 0, describe(result)
    assert data(sample_catalog, "visit_store_7d")["status"] == "retired"


def test_help_shows_examples(run_tagctl: Run) -> None:
    for command in ("deprecate", "retire"):
        result = run_tagctl(command, "--help", env={"NO_COLOR": "1", "COLUMNS": "120"})
        assert result.returncode == 0, describe(result)
        assert "Examples:" in result.stdout and f"tagctl {command}" in result.stdout


def test_a_file_that_cannot_be_edited_is_named(sample_catalog: Path, run_tagctl: Run) -> None:
    path = tag_path(sample_catalog, "visit_product_30d")
    path.write_bytes(path.read_bytes().replace(b"version: 1.2.0", b"version: 1.2"))
    before = snapshot(sample_catalog)
    output = deprecate(run_tagctl, sample_catalog, "visit_product_30d", "--reason", "x", code=1)
    assert "visit_product_30d.yaml: cannot edit: version '1.2' is not a semantic version" in output
    assert snapshot(sample_catalog) == before
