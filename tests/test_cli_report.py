"""`tagctl report` end to end: the file, its name, roles, languages, history, faults.

Each test runs the real command on a copy of the sample catalog with the
small DuckDB warehouse of the `tagctl kpi` tests, so the numbers in the page
are the hand-worked ones of that warehouse.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.conftest import copy_catalog, run_tagctl
from tests.test_cli_kpi import AS_OF, small_warehouse


@pytest.fixture
def catalog(tmp_path: Path) -> Path:
    root = copy_catalog(tmp_path / "catalog")
    small_warehouse(root / ".tagctl" / "demo.duckdb")
    return root


def report(catalog: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_tagctl("report", "-C", catalog, *args)


def test_writes_one_page_named_by_the_run_date_and_prints_its_path(
    catalog: Path, tmp_path: Path
) -> None:
    out = tmp_path / "reports" / "tags-{date}.html"
    result = report(catalog, "--as-of", AS_OF, "--out", str(out), "--lang", "en")
    assert result.returncode == 0, result.stderr
    written = tmp_path / "reports" / "tags-2026-11-23.html"
    assert result.stdout.strip() == str(written)
    html = written.read_text(encoding="utf-8")
    assert html.startswith("<!doctype html>") and html.rstrip().endswith("</html>")
    assert 'id="tag-skin_type"' in html and "37.5%" in html  # skin_type's coverage
    assert [p.name for p in written.parent.iterdir()] == [written.name]  # no temporary left


def test_the_datetime_placeholder_and_an_unknown_one(catalog: Path, tmp_path: Path) -> None:
    out = str(tmp_path / "r-{datetime}.html")
    ok = report(catalog, "--as-of", "2026-11-23T06:30", "--out", out)
    assert ok.returncode == 0, ok.stderr
    assert (tmp_path / "r-2026-11-23T0630.html").is_file()
    bad = report(catalog, "--out", str(tmp_path / "r-{day}.html"))
    assert bad.returncode == 2 and "unknown placeholder {day}" in bad.stderr


def test_language_from_the_config_and_from_the_flag(catalog: Path, tmp_path: Path) -> None:
    zh, en = tmp_path / "zh.html", tmp_path / "en.html"
    assert report(catalog, "--as-of", AS_OF, "--out", str(zh)).returncode == 0
    assert report(catalog, "--as-of", AS_OF, "--out", str(en), "--lang", "en").returncode == 0
    assert "标签治理报告" in zh.read_text(encoding="utf-8")  # the sample's report.lang is zh
    assert "Tag governance report" in en.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("role", "tabs", "absent"),
    [
        ("executive", ["tab-executive", "tab-tags"], ["tab-admin", "tab-cleanup"]),
        ("admin", ["tab-admin", "tab-cleanup", "tab-tags"], ["tab-operator"]),
        ("all", ["tab-admin", "tab-operator", "tab-executive", "tab-cleanup"], []),
        # a view's title, in either language, names its role
        ("management", ["tab-executive", "tab-tags"], ["tab-admin", "tab-operator"]),
        ("Operations", ["tab-operator", "tab-tags"], ["tab-admin", "tab-executive"]),
        ("标签管理", ["tab-admin", "tab-cleanup"], ["tab-operator", "tab-executive"]),
    ],
)
def test_role_chooses_the_views(
    catalog: Path, tmp_path: Path, role: str, tabs: list[str], absent: list[str]
) -> None:
    out = tmp_path / "r.html"
    assert report(catalog, "--as-of", AS_OF, "--out", str(out), "--role", role).returncode == 0
    html = out.read_text(encoding="utf-8")
    assert all(f'id="{tab}"' in html for tab in tabs)
    assert not any(f'id="{tab}"' in html for tab in absent)


def test_an_unknown_role_names_every_role_and_view(catalog: Path, tmp_path: Path) -> None:
    refused = report(catalog, "--out", str(tmp_path / "r.html"), "--role", "boss")
    assert refused.returncode == 2
    assert "'boss' is not admin (Administration, 标签管理), operator (Operations, 业务运营)," in (
        refused.stderr
    )
    assert not (tmp_path / "r.html").exists()


def _heading(html: str) -> tuple[str, str]:
    """The page's <title> (before the catalog's name) and its <h1>."""
    title = html.split("<title>", 1)[1].split(" · ", 1)[0]
    return title, html.split("<h1>", 1)[1].split("</h1>", 1)[0]


@pytest.mark.parametrize(
    ("title", "zh", "en"),
    [
        ("{zh: 美妆标签报告, en: Beauty tag report}", "美妆标签报告", "Beauty tag report"),
        ("{zh: 美妆标签报告}", "美妆标签报告", "Tag governance report"),
        # a plain string is the title in report.lang (zh here) only
        ("美妆标签报告", "美妆标签报告", "Tag governance report"),
    ],
)
def test_the_title_follows_the_language(
    catalog: Path, tmp_path: Path, title: str, zh: str, en: str
) -> None:
    config = catalog / "tagctl.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("report:\n", f"report:\n  title: {title}\n", 1), "utf-8")
    for lang, expected in (("zh", zh), ("en", en)):
        out = tmp_path / f"{lang}.html"
        done = report(catalog, "--as-of", AS_OF, "--out", str(out), "--lang", lang)
        assert done.returncode == 0, done.stderr
        assert _heading(out.read_text(encoding="utf-8")) == (expected, expected)


def test_from_history_renders_the_saved_run_without_the_warehouse(
    catalog: Path, tmp_path: Path
) -> None:
    first, second = tmp_path / "first.html", tmp_path / "second.html"
    saved = report(catalog, "--as-of", AS_OF, "--out", str(first), "--save", "--lang", "en")
    assert saved.returncode == 0 and "saved run" in saved.stderr
    (catalog / ".tagctl" / "demo.duckdb").unlink()  # no warehouse any more
    again = report(catalog, "--from-history", "--out", str(second), "--lang", "en")
    assert again.returncode == 0, again.stderr
    assert second.read_text(encoding="utf-8") == first.read_text(encoding="utf-8")


def test_from_history_with_nothing_saved_or_with_measuring_flags_exits_2(
    catalog: Path, tmp_path: Path
) -> None:
    empty = report(catalog, "--from-history", "--out", str(tmp_path / "r.html"))
    assert empty.returncode == 2 and "no saved run" in empty.stderr
    mixed = report(catalog, "--from-history", "--save", "--out", str(tmp_path / "r.html"))
    assert mixed.returncode == 2 and "--from-history" in mixed.stderr
    assert not (tmp_path / "r.html").exists()


def test_a_failed_run_leaves_the_previous_report_intact(catalog: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    out.write_text("yesterday's report", encoding="utf-8")
    missing = tmp_path / "nowhere.duckdb"
    result = report(catalog, "--out", str(out), "--warehouse", f"duckdb:///{missing}")
    assert result.returncode == 3 and "Traceback" not in result.stderr
    assert out.read_text(encoding="utf-8") == "yesterday's report"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".report")] == []


def test_fail_on_exits_1_after_writing_the_report(catalog: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    result = report(catalog, "--as-of", AS_OF, "--out", str(out), "--fail-on", "alert")
    assert result.returncode == 1 and out.is_file()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "boss"], "--role"),
        (["--lang", "fr"], "--lang"),
        (["--fail-on", "never"], "--fail-on"),
    ],
)
def test_usage_errors_exit_2(catalog: Path, tmp_path: Path, args: list[str], message: str) -> None:
    result = report(catalog, "--out", str(tmp_path / "r.html"), *args)
    assert result.returncode == 2 and message in result.stderr


def test_the_page_and_kpi_json_agree(catalog: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    assert report(catalog, "--as-of", AS_OF, "--out", str(out), "--lang", "en").returncode == 0
    kpi = run_tagctl("kpi", "-C", catalog, "--as-of", AS_OF, "--format", "json")
    document = json.loads(kpi.stdout)
    html = out.read_text(encoding="utf-8")
    for name in document["catalog"]["zombie"]:
        assert f'href="#tag-{name}"' in html
    holders = document["tags"]["skin_type"]["holders"]
    assert f"<b>Holders</b> {holders:,}" in html


def test_help_shows_a_cron_example() -> None:
    result = run_tagctl("report", "--help")
    assert result.returncode == 0
    assert "crontab" in result.stdout and "{date}" in result.stdout
