"""`tagctl list`, `search`, `show`, `deps`, `export` and `new`, end to end.

Every test runs a real `tagctl` process on a copy of the sample catalog and
looks only at what a user sees: exit code, stdout, stderr, files written.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from clihelpers import describe, no_traceback, tag_yaml

from tagctl.explore.records import ENTRY_COLUMNS, SUMMARY_COLUMNS

Run = Callable[..., subprocess.CompletedProcess[str]]


def ok(result: subprocess.CompletedProcess[str]) -> str:
    no_traceback(result)
    assert result.returncode == 0, describe(result)
    return result.stdout


def fails(result: subprocess.CompletedProcess[str], code: int, *words: str) -> str:
    """The one-line error of a run that exited `code`."""
    no_traceback(result)
    assert result.returncode == code, describe(result)
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("tagctl: error: "), describe(result)
    for word in words:
        assert word in lines[0], describe(result)
    return lines[0]


def tag_count(catalog: Path) -> int:
    return len(list((catalog / "tags").rglob("*.yaml")))


# --- help and catalog discovery


@pytest.mark.parametrize("command", ["list", "search", "show", "deps", "export", "new"])
def test_help_has_examples(run_tagctl: Run, command: str) -> None:
    out = ok(run_tagctl(command, "--help", env={"NO_COLOR": "1", "COLUMNS": "100"}))
    assert "Examples" in out and f"tagctl {command}" in out and "--catalog" in out


def test_no_catalog_is_a_usage_error(run_tagctl: Run, tmp_path: Path) -> None:
    fails(run_tagctl("list", cwd=tmp_path), 2, "no tagctl.yaml")


# --- list


def test_list_table_names_every_tag(run_tagctl: Run, sample_catalog: Path) -> None:
    out = ok(run_tagctl("list", "-C", sample_catalog))
    assert "skin_type" in out and "肤质" in out and f"{tag_count(sample_catalog)} tags" in out
    assert all(line == line.rstrip() for line in out.splitlines())


def test_list_json_and_csv_shapes(run_tagctl: Run, sample_catalog: Path) -> None:
    rows = json.loads(ok(run_tagctl("list", "-C", sample_catalog, "--format", "json")))
    assert len(rows) == tag_count(sample_catalog)
    assert list(rows[0]) == [
        "name", "display_name", "category", "type", "status", "value_type", "owners", "path"
    ]  # fmt: skip
    skin = next(row for row in rows if row["name"] == "skin_type")
    assert skin["display_name"] == {"zh": "肤质", "en": "Skin type"}
    assert skin["path"] == "tags/profile/skin_type.yaml"
    text = ok(run_tagctl("list", "-C", sample_catalog, "--format", "csv"))
    reader = csv.DictReader(io.StringIO(text))
    assert tuple(reader.fieldnames or ()) == SUMMARY_COLUMNS
    assert len(list(reader)) == tag_count(sample_catalog)


def test_list_filters(run_tagctl: Run, sample_catalog: Path) -> None:
    args = ("list", "-C", sample_catalog, "--format", "json")
    rows = json.loads(ok(run_tagctl(*args, "--category", "prediction", "--status", "online")))
    assert rows and all(r["category"] == "prediction" and r["status"] == "online" for r in rows)
    models = json.loads(ok(run_tagctl(*args, "--type", "model")))
    assert models and {r["type"] for r in models} == {"model"}
    mine = json.loads(ok(run_tagctl(*args, "--owner", "li.na")))
    assert mine and all("li.na" in json.dumps(r["owners"]) for r in mine)
    assert len(mine) < len(json.loads(ok(run_tagctl(*args))))


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--status", "onlin"], ["unknown status: onlin", "did you mean online?"]),
        (["--category", "profil"], ["unknown category", "did you mean profile?"]),
        (["--type", "modle"], ["did you mean model?"]),
        (["--format", "yaml"], ["unknown format 'yaml'"]),
    ],
)
def test_list_usage_errors(
    run_tagctl: Run, sample_catalog: Path, args: list[str], words: list[str]
) -> None:
    fails(run_tagctl("list", "-C", sample_catalog, *args), 2, *words)


# --- search


def search_json(run_tagctl: Run, catalog: Path, query: str) -> list[dict[str, object]]:
    hits: list[dict[str, object]] = json.loads(
        ok(run_tagctl("search", query, "-C", catalog, "--format", "json"))
    )
    return hits


def test_search_chinese_repurchase(run_tagctl: Run, sample_catalog: Path) -> None:
    hits = search_json(run_tagctl, sample_catalog, "复购")
    assert {h["name"] for h in hits[:3]} == {
        "high_potential_repurchase",
        "repurchase_prob_30d",
        "repurchase_serum_90d",
    }
    assert hits[0]["match"] == "display_name"


def test_search_english_repurchase_ranks_names_first(run_tagctl: Run, sample_catalog: Path) -> None:
    hits = search_json(run_tagctl, sample_catalog, "repurchase")
    assert [h["match"] for h in hits[:3]] == ["name_token"] * 3
    assert "high_potential_repurchase" in [h["name"] for h in hits[:3]]


def test_search_skin_in_both_languages(run_tagctl: Run, sample_catalog: Path) -> None:
    assert search_json(run_tagctl, sample_catalog, "肤质")[0]["name"] == "skin_type"
    english = [h["name"] for h in search_json(run_tagctl, sample_catalog, "skin")]
    assert "skin_type" in english[:3]
    table = ok(run_tagctl("search", "肤质", "-C", sample_catalog))
    assert "skin_type" in table and "display_name" in table


def test_search_csv_and_nothing_found(run_tagctl: Run, sample_catalog: Path) -> None:
    text = ok(run_tagctl("search", "skin", "-C", sample_catalog, "--format", "csv"))
    reader = csv.DictReader(io.StringIO(text))
    assert tuple(reader.fieldnames or ()) == (*SUMMARY_COLUMNS, "match")
    assert next(reader)["match"] == "name_token"
    assert "no tag matches" in ok(run_tagctl("search", "量子纠缠", "-C", sample_catalog))
    assert search_json(run_tagctl, sample_catalog, "quantum") == []
    fails(run_tagctl("search", " ", "-C", sample_catalog), 2, "empty")


# --- search --similar


def test_search_similar_table(run_tagctl: Run, sample_catalog: Path) -> None:
    out = ok(run_tagctl("search", "--similar", "visit_store_30d", "-C", sample_catalog))
    lines = out.splitlines()
    assert lines[0].split()[-2:] == ["similarity", "matched"]
    assert lines[1].startswith("visit_store_7d ") and "name zh en source category" in lines[1]
    assert lines[-1] == "10 tags like visit_store_30d"
    assert len(lines) == 12 and "visit_store_30d " not in out


def test_search_similar_json_and_csv(run_tagctl: Run, sample_catalog: Path) -> None:
    args = ("search", "--similar", "purchase_serum_90d", "--limit", "3", "-C", sample_catalog)
    text = ok(run_tagctl(*args, "--format", "json"))
    rows = json.loads(text)
    assert len(rows) == 3
    assert list(rows[0])[-3:] == ["similarity", "matched", "fields"]
    assert list(rows[0]["fields"]) == [
        "name", "zh", "en", "description", "source", "logic", "category"
    ]  # fmt: skip
    scores = [row["similarity"] for row in rows]
    assert scores == sorted(scores, reverse=True) and all(0 < s < 1 for s in scores)
    assert ok(run_tagctl(*args, "--format", "json")) == text  # the same ranking every time
    reader = csv.DictReader(io.StringIO(ok(run_tagctl(*args, "--format", "csv"))))
    assert tuple(reader.fieldnames or ()) == (*SUMMARY_COLUMNS, "similarity", "matched")
    first = next(reader)
    assert first["name"] == rows[0]["name"] and float(first["similarity"]) == scores[0]
    assert first["matched"] == ";".join(rows[0]["matched"])


def test_search_limit_cuts_a_text_search(run_tagctl: Run, sample_catalog: Path) -> None:
    every = search_json(run_tagctl, sample_catalog, "repurchase")
    args = ("search", "repurchase", "--limit", "2", "-f", "json", "-C", sample_catalog)
    assert json.loads(ok(run_tagctl(*args))) == every[:2]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--similar", "visit_stor_30d"], ["unknown tag: visit_stor_30d", "visit_store_30d?"]),
        (["store", "--similar", "visit_store_30d"], ["not both"]),
        (["--similar", "visit_store_30d", "--limit", "0"], ["--limit must be at least 1"]),
        (["store", "--limit", "-1"], ["--limit must be at least 1"]),
        (["--similar", "visit_store_30d", "-f", "yaml"], ["unknown format 'yaml'"]),
        ([], ["the search query is empty"]),
    ],
)
def test_search_similar_usage_errors(
    run_tagctl: Run, sample_catalog: Path, args: list[str], words: list[str]
) -> None:
    fails(run_tagctl("search", *args, "-C", sample_catalog), 2, *words)


# --- show


def test_show_prints_the_definition_and_dependents(run_tagctl: Run, sample_catalog: Path) -> None:
    out = ok(run_tagctl("show", "churn_risk_7d", "-C", sample_catalog))
    for text in (
        "churn_risk_7d  v1.1.0  [online]",
        "7天流失风险 · 7-day churn risk",
        "prediction (预测模型 / Prediction)",
        "range [0, 1]",
        "business zhang.min@example.com",
        "cdp: ml.churn_scores_daily",
        "dependents    winback_dormant_vip",
        "file          tags/prediction/churn_risk_7d.yaml",
        "XGBoost binary classifier",
        "changelog",
        "no KPI history yet",
    ):
        assert text in out, out


def test_show_deprecated_tag_says_so(run_tagctl: Run, sample_catalog: Path) -> None:
    out = ok(run_tagctl("show", "age_group", "-C", sample_catalog))
    assert "[deprecated]" in out and "sunset 2027-03-31" in out


def test_show_unknown_tag_suggests(run_tagctl: Run, sample_catalog: Path) -> None:
    fails(run_tagctl("show", "skin_typ", "-C", sample_catalog), 2, "unknown tag", "skin_type")


def test_show_latest_kpis_and_trend_from_history(run_tagctl: Run, sample_catalog: Path) -> None:
    from test_cli_kpi import small_warehouse

    small_warehouse(sample_catalog / ".tagctl" / "demo.duckdb")
    for day in ("2026-11-16", "2026-11-23"):
        ok(run_tagctl("kpi", "-C", sample_catalog, "--as-of", day, "--tags", "skin_type", "--save"))
    out = ok(run_tagctl("show", "skin_type", "-C", sample_catalog))
    assert "run as of 2026-11-23" in out and "coverage      37.5% (150 holders)" in out
    assert "trend         coverage" in out and "2 runs" in out
    document = json.loads(ok(run_tagctl("show", "skin_type", "-C", sample_catalog, "-f", "json")))
    assert document["kpis"]["coverage"] == pytest.approx(0.375)
    assert [point["as_of"][:10] for point in document["trend"]] == ["2026-11-16", "2026-11-23"]
    other = ok(run_tagctl("show", "gender", "-C", sample_catalog))
    assert "did not measure this tag" in other


def test_show_with_an_unreadable_history_still_shows_the_tag(
    run_tagctl: Run, sample_catalog: Path
) -> None:
    config = sample_catalog / "tagctl.yaml"
    config.write_text(
        config.read_text(encoding="utf-8") + "\nhistory:\n  url: ${TAGCTL_NO_SUCH_VARIABLE}\n",
        encoding="utf-8",
    )
    out = ok(run_tagctl("show", "skin_type", "-C", sample_catalog))
    assert "KPI history unavailable" in out and "肤质" in out


# --- deps


def test_deps_tree_reaches_source_tables(run_tagctl: Run, sample_catalog: Path) -> None:
    out = ok(run_tagctl("deps", "high_potential_repurchase", "-C", sample_catalog))
    lines = out.splitlines()
    assert lines[0].startswith("high_potential_repurchase")
    assert "└── dws.user_tag_wide (table)" in lines
    assert any("rfm_segment" in line and "(shown above)" in line for line in lines)


def test_deps_reverse_mermaid(run_tagctl: Run, sample_catalog: Path) -> None:
    out = ok(
        run_tagctl(
            "deps", "churn_risk_7d", "--reverse", "--format", "mermaid", "-C", sample_catalog
        )
    )
    lines = out.splitlines()
    assert lines[0] == "flowchart LR"
    assert "    tag_churn_risk_7d --> tag_winback_dormant_vip" in lines


def test_deps_dot_depth(run_tagctl: Run, sample_catalog: Path) -> None:
    out = ok(run_tagctl("deps", "rfm_segment", "-d", "1", "-f", "dot", "-C", sample_catalog))
    assert out.startswith("digraph deps {\n") and out.endswith("}\n")
    assert '    "last_purchase_order_days" -> "rfm_segment";' in out
    assert "dws.orders" in out and "距最近一次下单天数" in out


def test_deps_cycle_terminates_and_is_marked(run_tagctl: Run, sample_catalog: Path) -> None:
    folder = sample_catalog / "tags" / "behavior"
    for name, other in (
        ("visit_clinic_7d", "visit_clinic_30d"),
        ("visit_clinic_30d", "visit_clinic_7d"),
    ):
        extra = f"window: {name.rsplit('_', 1)[1]}\ndepends_on: [{other}]\n"
        (folder / f"{name}.yaml").write_text(tag_yaml(name, extra=extra), encoding="utf-8")
    tree = ok(run_tagctl("deps", "visit_clinic_7d", "-C", sample_catalog))
    assert tree.splitlines()[-1].endswith(
        "visit_clinic_7d  测试标签 visit_clinic_7d  [online]  ↺ cycle"
    )
    graph = ok(run_tagctl("deps", "visit_clinic_7d", "-f", "mermaid", "-C", sample_catalog))
    assert "-. cycle .->" in graph
    lint = run_tagctl("lint", "-C", sample_catalog, "--format", "json")
    assert "TG302" in lint.stdout


def test_deps_usage_errors(run_tagctl: Run, sample_catalog: Path) -> None:
    fails(run_tagctl("deps", "rfm_segmnt", "-C", sample_catalog), 2, "did you mean rfm_segment?")
    fails(run_tagctl("deps", "rfm_segment", "--depth", "0", "-C", sample_catalog), 2, "--depth")
    fails(run_tagctl("deps", "rfm_segment", "-f", "svg", "-C", sample_catalog), 2, "format")


# --- export


def test_export_json_is_the_whole_dictionary(run_tagctl: Run, sample_catalog: Path) -> None:
    out = ok(run_tagctl("export", "-C", sample_catalog))
    document = json.loads(out)
    assert document["format"] == "tagctl-dictionary" and document["format_version"] == 1
    assert len(document["tags"]) == tag_count(sample_catalog)
    assert {c["key"] for c in document["catalog"]["categories"]} >= {"profile", "strategy"}
    statuses = {t["status"] for t in document["tags"]}
    assert {"deprecated", "retired"} <= statuses
    assert ok(run_tagctl("export", "-C", sample_catalog)) == out  # stable bytes


def test_export_csv_columns(run_tagctl: Run, sample_catalog: Path) -> None:
    out = ok(run_tagctl("export", "--format", "csv", "-C", sample_catalog))
    reader = csv.DictReader(io.StringIO(out))
    assert tuple(reader.fieldnames or ()) == ENTRY_COLUMNS
    rows = {row["name"]: row for row in reader}
    assert len(rows) == tag_count(sample_catalog)
    assert rows["skin_type"]["values"] == "oily;dry;combination;normal;sensitive"
    assert rows["age_group"]["sunset"] == "2027-03-31"
    assert "\n" in rows["high_potential_repurchase"]["logic"]


def test_export_datahub_to_a_file(run_tagctl: Run, sample_catalog: Path, tmp_path: Path) -> None:
    target = tmp_path / "tags.datahub.json"
    assert ok(run_tagctl("export", "-f", "datahub", "-o", target, "-C", sample_catalog)) == ""
    mcps = json.loads(target.read_text(encoding="utf-8"))
    assert {m["entityType"] for m in mcps} == {"glossaryNode", "glossaryTerm"}
    assert {m["aspectName"] for m in mcps} == {
        "glossaryNodeInfo",
        "glossaryTermInfo",
        "ownership",
        "deprecation",
    }
    deprecated = [
        m["entityUrn"]
        for m in mcps
        if m["aspectName"] == "deprecation" and m["aspect"]["json"]["deprecated"]
    ]
    assert "urn:li:glossaryTerm:tagctl.age_group" in deprecated


def test_export_bad_format(run_tagctl: Run, sample_catalog: Path) -> None:
    fails(run_tagctl("export", "-f", "openmetadata", "-C", sample_catalog), 2, "datahub")


# --- new


def test_new_writes_a_valid_draft_that_lint_flags(run_tagctl: Run, sample_catalog: Path) -> None:
    # --force: purchase_serum_90d looks the same (see test_new_stops_at_a_look_alike)
    result = run_tagctl(
        "new", "purchase_serum_30d", "--category", "transaction", "--force", cwd=sample_catalog
    )
    assert ok(result) == "tags/transaction/purchase_serum_30d.yaml\n"
    path = sample_catalog / "tags" / "transaction" / "purchase_serum_30d.yaml"
    assert "window: 30d" in path.read_text(encoding="utf-8")
    ok(run_tagctl("validate", path, cwd=sample_catalog))
    lint = run_tagctl("lint", "--format", "json", path, cwd=sample_catalog)
    assert lint.returncode == 1, describe(lint)
    codes = {v["code"] for v in json.loads(lint.stdout)["violations"]}
    assert codes == {"TG504"}
    listed = json.loads(
        ok(run_tagctl("list", "--status", "draft", "-f", "json", cwd=sample_catalog))
    )
    assert "purchase_serum_30d" in [row["name"] for row in listed]


def test_new_enum_fact_with_catalog_flag(
    run_tagctl: Run, sample_catalog: Path, tmp_path: Path
) -> None:
    args = ("new", "skin_tone", "-c", "profile", "--type", "fact", "--value-type", "enum")
    out = ok(run_tagctl(*args, "--catalog", sample_catalog, cwd=tmp_path))
    path = sample_catalog / "tags" / "profile" / "skin_tone.yaml"
    assert tmp_path / out.strip() == path
    ok(run_tagctl("validate", path, cwd=sample_catalog))


def test_new_dry_run_writes_nothing(run_tagctl: Run, sample_catalog: Path) -> None:
    out = ok(run_tagctl("new", "churn_risk_30d", "-c", "prediction", "-n", "-C", sample_catalog))
    assert out.startswith("name: churn_risk_30d\n") and "type: model" in out
    assert not (sample_catalog / "tags" / "prediction" / "churn_risk_30d.yaml").exists()


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("Purchase-Serum", ["not lowercase snake_case"]),
        ("purchse_serum_30d", ["'purchse'", "did you mean 'purchase'?"]),
    ],
)
def test_new_refuses_a_bad_name(
    run_tagctl: Run, sample_catalog: Path, name: str, words: list[str]
) -> None:
    before = tag_count(sample_catalog)
    fails(run_tagctl("new", name, "-c", "transaction", "-C", sample_catalog), 2, *words)
    assert tag_count(sample_catalog) == before


def test_new_refuses_an_existing_file(run_tagctl: Run, sample_catalog: Path) -> None:
    path = sample_catalog / "tags" / "profile" / "skin_type.yaml"
    text = path.read_text(encoding="utf-8")
    fails(
        run_tagctl("new", "skin_type", "-c", "profile", "-C", sample_catalog), 2, "already exists"
    )
    fails(
        run_tagctl("new", "skin_type", "-c", "medical", "-C", sample_catalog), 2, "already exists"
    )
    assert path.read_text(encoding="utf-8") == text


def test_new_unknown_category(run_tagctl: Run, sample_catalog: Path) -> None:
    fails(
        run_tagctl("new", "purchase_serum_30d", "-c", "sales", "-C", sample_catalog),
        2,
        "unknown category: sales",
    )


def test_new_stops_at_a_look_alike(run_tagctl: Run, sample_catalog: Path) -> None:
    path = sample_catalog / "tags" / "transaction" / "purchase_serum_30d.yaml"
    result = run_tagctl("new", "purchase_serum_30d", "-c", "transaction", "-C", sample_catalog)
    no_traceback(result)
    assert result.returncode == 1, describe(result)
    assert result.stdout == "" and not path.exists()
    lines = result.stderr.splitlines()
    assert lines[0] == (
        "tagctl: did you mean to reuse `purchase_serum_90d`? live tags like purchase_serum_30d:"
    )
    assert lines[1].startswith("  purchase_serum_90d  0.9") and "[online]" in lines[1]
    assert "(matched: name, category)" in lines[1]
    assert "--force" in lines[-1] and "nothing written" in lines[-1]


def test_new_force_writes_and_notes_the_look_alike(run_tagctl: Run, sample_catalog: Path) -> None:
    args = ("new", "visit_store_14d", "-c", "behavior", "--force", "-C", sample_catalog)
    result = run_tagctl(*args)
    out = ok(result)
    assert out.strip().endswith("tags/behavior/visit_store_14d.yaml")
    assert (sample_catalog / "tags" / "behavior" / "visit_store_14d.yaml").exists()
    assert "did you mean to reuse `visit_store_30d`?" in result.stderr
    assert "visit_store_7d" not in result.stderr  # deprecated: nothing to reuse
    assert "created a draft rule tag" in result.stderr


def test_new_dry_run_notes_the_look_alike(run_tagctl: Run, sample_catalog: Path) -> None:
    result = run_tagctl("new", "churn_risk_30d", "-c", "prediction", "-n", "-C", sample_catalog)
    assert ok(result).startswith("name: churn_risk_30d\n")
    assert "did you mean to reuse `churn_risk_7d`?" in result.stderr
    assert "nothing written" not in result.stderr


def test_new_without_a_look_alike_says_nothing_of_reuse(
    run_tagctl: Run, sample_catalog: Path
) -> None:
    result = run_tagctl("new", "purchase_mask_30d", "-c", "transaction", cwd=sample_catalog)
    assert ok(result) == "tags/transaction/purchase_mask_30d.yaml\n"
    assert "reuse" not in result.stderr
