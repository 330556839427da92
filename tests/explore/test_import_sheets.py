"""Importing a team's own tag list: headers, encodings, names, categories, rows with problems."""

from __future__ import annotations

from pathlib import Path

import pytest
from importhelpers import empty_catalog, run, snapshot
from openpyxl import Workbook

from tagctl.catalog.config import load_config
from tagctl.catalog.tags import load_tags
from tagctl.edit.scalars import load_text
from tagctl.errors import UsageError
from tagctl.explore import importwrite
from tagctl.explore.importer import ImportRequest
from tagctl.explore.importwrite import run_import

ROOT = Path(__file__).resolve().parents[2]
HEADER = "标签编码,标签名称,标签分类,业务含义,负责人,更新频率,状态,备注"
ROWS = [
    "visit_store_30d,近30天到店,行为偏好,30天内到过任一门店,li.na,每日,上线,x",
    "skin_type,肤质,profile,最近一次测肤的肤质,zhou.xin,每周,,",
]


@pytest.fixture
def target(tmp_path: Path) -> Path:
    empty_catalog(tmp_path / "catalog", ROOT / "tag-catalog" / "tagctl.yaml")
    return tmp_path / "catalog"


def _csv(folder: Path, lines: list[str], encoding: str = "utf-8", name: str = "tags.csv") -> Path:
    path = folder / name
    path.write_bytes("\n".join(lines).encode(encoding) + b"\n")
    return path


def _tag(target: Path, category: str, name: str) -> dict[str, object]:
    data = load_text((target / "tags" / category / f"{name}.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_chinese_headers_are_recognised_in_every_excel_encoding(
    target: Path, tmp_path: Path, encoding: str
) -> None:
    plan = run(target, _csv(tmp_path, [HEADER, *ROWS], encoding))

    assert not plan.problems and plan.columns.unmapped == ("备注",)
    visit = _tag(target, "behavior", "visit_store_30d")
    assert visit["display_name"] == {
        "zh": "近30天到店",
        "en": "TODO: English name of visit_store_30d",
    }
    assert visit["category"] == "behavior"  # 行为偏好 is the label of behavior
    assert (visit["status"], visit["refresh"], visit["window"]) == ("online", "daily", "30d")
    assert visit["owners"] == {"business": "li.na", "data": "TODO"}
    assert visit["changelog"] == [
        {"version": "0.1.0", "date": "2026-12-01", "change": "Imported from tags.csv."}
    ]
    skin = _tag(target, "profile", "skin_type")
    assert (skin["status"], skin["refresh"], skin["type"]) == ("draft", "weekly", "fact")


def test_a_team_sheet_imported_twice_changes_nothing_the_second_time(
    target: Path, tmp_path: Path
) -> None:
    source = _csv(
        tmp_path,
        [
            "Tag Name,二级分类,标签分类,状态,取值,来源表",
            "Visit Store 30D,behavior,ignored,上线,,dwd.visits，dwd.stores",
            "skin_type,Profile,ignored,草稿,油性、干性,",
        ],
    )
    first = run(target, source, category_from="二级分类")
    before = snapshot(target)

    again = run(target, source, category_from="二级分类")

    assert [d.name for d in first.drafts] == ["visit_store_30d", "skin_type"]
    assert first.columns.unmapped == ("标签分类",) and not first.problems
    assert _tag(target, "behavior", "visit_store_30d")["source"] == {
        "system": "TODO",
        "tables": ["dwd.visits", "dwd.stores"],
    }
    assert snapshot(target) == before and not again.drafts and not again.problems
    assert again.unchanged == ["visit_store_30d", "skin_type"]


def test_excel_unicode_text_is_utf16_with_tabs(target: Path, tmp_path: Path) -> None:
    lines = [line.replace(",", "\t") for line in [HEADER, *ROWS]]
    path = tmp_path / "tags.txt"
    path.write_bytes("\r\n".join(lines).encode("utf-16"))

    plan = run(target, path)

    assert [draft.name for draft in plan.drafts] == ["visit_store_30d", "skin_type"]


def test_names_are_normalised_and_the_original_kept(target: Path, tmp_path: Path) -> None:
    source = _csv(
        tmp_path,
        [
            "name,category,description",
            "Visit Product 30D,behavior,Viewed a product page.",
            "Purchase-Serum-90D,transaction,Bought a serum.",
            "高价值用户,strategy,High value.",
        ],
    )
    plan = run(target, source)

    assert [(d.original, d.name) for d in plan.renamed] == [
        ("Visit Product 30D", "visit_product_30d"),
        ("Purchase-Serum-90D", "purchase_serum_90d"),
    ]
    assert _tag(target, "behavior", "visit_product_30d")["display_name"] == {
        "zh": "TODO: visit_product_30d 的中文名称",
        "en": "Visit Product 30D",
    }
    assert _tag(target, "transaction", "purchase_serum_90d")["renamed_from"] == "Purchase-Serum-90D"
    cjk = plan.drafts[2]
    assert cjk.name == "高价值用户" and (target / "tags/strategy/高价值用户.yaml").is_file()
    assert any("TG201" in note for note in cjk.notes)


def test_rows_with_problems_are_named_and_the_others_written(target: Path, tmp_path: Path) -> None:
    source = _csv(
        tmp_path,
        [
            "name,category,description",
            "visit_app_30d,behavior,Opened the app.",
            "Visit App 30D,behavior,The same name again.",
            ",behavior,No name.",
            "visit_store_7d,,No category.",
            "visit_store_30d,behavior,Too,many,cells",
            "open_push_30d,behavior,Fine.",
        ],
    )
    plan = run(target, source)

    assert [(p.where, p.message) for p in plan.problems] == [
        ("row 2", "row 3 also names visit_app_30d"),
        ("row 3", "row 2 also names visit_app_30d"),
        ("row 4", "no name"),
        ("row 5", "no category"),
        ("row 6", "5 cells where the header has 3"),
    ]
    assert [d.name for d in plan.drafts] == ["open_push_30d"] and plan.written


def test_strict_writes_nothing_when_a_row_has_a_problem(target: Path, tmp_path: Path) -> None:
    source = _csv(tmp_path, ["name,category", "visit_app_30d,behavior", ",behavior"])
    before = snapshot(target)

    plan = run(target, source, strict=True)

    assert plan.refused and not plan.written and snapshot(target) == before


def test_a_tag_of_the_catalog_that_differs_is_not_replaced(target: Path, tmp_path: Path) -> None:
    run(target, _csv(tmp_path, ["name,category,description", "visit_app_30d,behavior,First."]))
    before = snapshot(target)
    changed = _csv(tmp_path, ["name,category,description", "visit_app_30d,behavior,Second."])

    plan = run(target, changed)

    assert snapshot(target) == before
    assert [p.message for p in plan.problems] == [
        "the catalog's visit_app_30d (visit_app_30d.yaml) differs in description; not replaced"
    ]


def test_categories_by_label_missing_ones_listed_and_added(target: Path, tmp_path: Path) -> None:
    config = target / "tagctl.yaml"
    text = config.read_text(encoding="utf-8")
    source = _csv(
        tmp_path,
        [
            "name,category",
            "visit_app_30d,Behavior",
            "use_points_30d,Membership",
            "use_coupon_30d,会员权益",
        ],
    )

    plan = run(target, source, add_categories=True)

    assert [(c.key, c.en) for c in plan.added] == [("membership", "Membership")]
    assert [(c.key, c.addable) for c in plan.categories] == [("会员权益", False)]
    assert [p.where for p in plan.problems] == ["row 4"]
    added = "  membership: {zh: TODO, en: Membership}\n"  # written as the other categories are
    new = config.read_text(encoding="utf-8")
    assert new.replace(added, "") == text and new.index(added) < new.index("\nnaming:")
    assert (target / "tags/membership/use_points_30d.yaml").is_file()


def test_enum_words_are_translated_and_unknown_ones_noted(target: Path, tmp_path: Path) -> None:
    source = _csv(
        tmp_path,
        [
            "name,category,status,refresh,value_type,取值",
            "skin_type,profile,上架,每日,枚举,油性、干性",
        ],
    )
    plan = run(target, source)

    draft = plan.drafts[0]
    assert draft.notes[0].startswith("status '上架' is not one of draft, ")
    data = _tag(target, "profile", "skin_type")
    assert (data["status"], data["refresh"], data["value_type"]) == ("上架", "daily", "enum")
    assert data["values"] == [{"value": "油性"}, {"value": "干性"}]


def test_a_failed_write_removes_what_it_wrote(
    target: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = [
        f"visit_app_{days}d,{category}"
        for days, category in ((1, "behavior"), (7, "membership"), (30, "behavior"))
    ]
    source = _csv(tmp_path, ["name,category", *rows])
    before = snapshot(target)
    real = importwrite._create
    calls = []

    def failing(path: Path, text: str) -> None:
        calls.append(path)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        real(path, text)

    monkeypatch.setattr(importwrite, "_create", failing)
    with pytest.raises(OSError):
        run(target, source, add_categories=True)

    assert snapshot(target) == before and not (target / "tags/membership").exists()


def _workbook(path: Path, rows: list[list[object]], title: str = "Sheet") -> Workbook:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(row)
    book.save(path)
    return book


def test_a_workbook_imports_like_its_csv(target: Path, tmp_path: Path) -> None:
    path = tmp_path / "tags.xlsx"
    _workbook(path, [["标签编码", "标签分类", "取值范围下限"], ["ltv_score", "prediction", 0]])
    plan = run(target, path, maps={"取值范围下限": "range_min"})

    assert not plan.problems
    assert _tag(target, "prediction", "ltv_score")["range"] == {"min": 0}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda sheet: sheet.merge_cells("B2:B3"), "row 2: merged cells B2:B3"),
        (lambda sheet: sheet.__setitem__("B3", "=B2"), "row 3: cell B3 holds a formula"),
    ],
)
def test_merged_cells_and_formulas_stop_the_import(
    target: Path, tmp_path: Path, change: object, message: str
) -> None:
    path = tmp_path / "tags.xlsx"
    book = _workbook(
        path, [["name", "category"], ["visit_app_30d", "behavior"], ["visit_app_7d", "behavior"]]
    )
    change(book.active)  # type: ignore[operator]
    book.save(path)
    before = snapshot(target)

    with pytest.raises(UsageError) as raised:
        run(target, path)

    assert message in str(raised.value) and str(raised.value).startswith(str(path))
    assert snapshot(target) == before


def test_a_sheet_is_chosen_by_name(target: Path, tmp_path: Path) -> None:
    path = tmp_path / "tags.xlsx"
    book = _workbook(path, [["notes"], ["not tags"]], title="说明")
    book.create_sheet("标签").append(["name", "category"])
    book["标签"].append(["visit_app_30d", "behavior"])
    book.save(path)

    assert [d.name for d in run(target, path, sheet="标签").drafts] == ["visit_app_30d"]
    with pytest.raises(UsageError, match="no sheet 'tags' \\(the workbook has: 说明, 标签\\)"):
        run(target, path, sheet="tags")


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (
            b"name,category\nvisit_app_30d,caf\xe9 \xff\n",
            "row 2: byte 32 is neither UTF-8 nor GB18030",
        ),
        (b'name,category\nvisit_app_30d,"behavior\n', "tags.csv:2: row 2: unexpected end of data"),
        (b"\n\n", "has no header row"),
        (b"name,name\nx,y\n", "row 1: the column 'name' appears twice"),
    ],
)
def test_a_file_that_cannot_be_read_is_named_and_nothing_written(
    target: Path, tmp_path: Path, raw: bytes, message: str
) -> None:
    path = tmp_path / "tags.csv"
    path.write_bytes(raw)
    before = snapshot(target)

    with pytest.raises(UsageError) as raised:
        run(target, path)

    assert message in str(raised.value) and snapshot(target) == before


def test_an_exports_list_cells_split_at_semicolons_only(target: Path, tmp_path: Path) -> None:
    exported = _csv(
        tmp_path, ["name,category,values,value_labels_zh", "skin_type,profile,a|b,甲、乙"]
    )
    run(target, exported)
    assert _tag(target, "profile", "skin_type")["values"] == [
        {"value": "a|b", "label": {"zh": "甲、乙", "en": "TODO: value label"}}
    ]
    team = _csv(tmp_path, ["name,category,取值", "gender,profile,a|b"], name="team.csv")
    run(target, team)
    assert _tag(target, "profile", "gender")["values"] == [{"value": "a"}, {"value": "b"}]


def test_empty_columns_at_the_end_need_no_cells(target: Path, tmp_path: Path) -> None:
    source = _csv(
        tmp_path, ["name,category,,", "visit_app_30d,behavior,,", "visit_app_7d,behavior"]
    )
    plan = run(target, source)
    assert [d.name for d in plan.drafts] == ["visit_app_30d", "visit_app_7d"] and not plan.problems


def test_the_line_to_add_for_a_category_is_yaml_that_reads_back(
    target: Path, tmp_path: Path
) -> None:
    source = _csv(tmp_path, ["name,category", 'visit_app_1d,"a: b #c"'])
    (category,) = run(target, source, dry_run=True).categories
    assert load_text("categories:\n" + category.line() + "\n") == {
        "categories": {"a_b_c": {"zh": "TODO", "en": "a: b #c"}}
    }


def test_a_broken_file_in_the_way_is_named_and_kept(target: Path, tmp_path: Path) -> None:
    broken = target / "tags" / "behavior" / "visit_app_30d.yaml"
    broken.parent.mkdir(parents=True)
    broken.write_text("name: [unclosed\n", encoding="utf-8")
    config = load_config(target / "tagctl.yaml")
    tags, skipped = load_tags(config)
    assert [s.path for s in skipped] == [broken]
    source = _csv(tmp_path, ["name,category", "visit_app_30d,behavior"])

    plan = run_import(config, tags, ImportRequest(source=source))

    assert [p.message for p in plan.problems] == [
        "tags/behavior/visit_app_30d.yaml is there already, and is not a tag"
    ]
    assert broken.read_text(encoding="utf-8") == "name: [unclosed\n" and not plan.written
