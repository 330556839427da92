"""`tagctl export` then `tagctl import` into an empty catalog gives the same tags.

On the sample catalog and on every industry template, in both export
formats: each imported file holds the same definition as the original (keys
that only repeat the schema's default, `tier: standard` and `granularity:
user`, are not written), and exporting the new catalog gives the same bytes.
A second import of the same file changes nothing.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from importhelpers import definitions, empty_catalog, export_text, run, snapshot

from tagctl.explore.records import list_cell, split_list_cell
from tagctl.scaffold.templates import templates

ROOT = Path(__file__).resolve().parents[2]


def _template_catalog(name: str, folder: Path) -> Path:
    for relative, source in templates()[name].files():
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    return folder


def _catalogs() -> list[str]:
    return ["sample", *(name for name in templates() if name != "minimal"), "minimal"]


@pytest.fixture(params=_catalogs())
def original(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    if request.param == "sample":
        return ROOT / "tag-catalog"
    return _template_catalog(request.param, tmp_path / "original")


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_an_export_imports_as_the_same_tags(original: Path, fmt: str, tmp_path: Path) -> None:
    exported = tmp_path / f"tags.{fmt}"
    exported.write_text(export_text(original, fmt), encoding="utf-8")
    target = tmp_path / "imported"
    empty_catalog(target, original / "tagctl.yaml")

    plan = run(target, exported)

    assert plan.written and not plan.problems and not plan.categories and not plan.renamed
    assert definitions(target) == definitions(original)
    assert export_text(target, fmt) == export_text(original, fmt)


def test_a_second_import_changes_nothing(tmp_path: Path) -> None:
    exported = tmp_path / "tags.csv"
    exported.write_text(export_text(ROOT / "tag-catalog", "csv"), encoding="utf-8")
    target = tmp_path / "imported"
    empty_catalog(target, ROOT / "tag-catalog" / "tagctl.yaml")
    first = run(target, exported)
    before = snapshot(target)

    again = run(target, exported)

    assert snapshot(target) == before
    assert not again.written and not again.drafts and not again.problems
    assert sorted(again.unchanged) == sorted(draft.name for draft in first.drafts)


def test_the_sample_catalog_imported_over_itself_is_all_unchanged(tmp_path: Path) -> None:
    copy = tmp_path / "tag-catalog"
    shutil.copytree(ROOT / "tag-catalog", copy)
    exported = tmp_path / "tags.json"
    exported.write_text(export_text(copy, "json"), encoding="utf-8")
    before = snapshot(copy)

    plan = run(copy, exported)

    assert snapshot(copy) == before and not plan.drafts and not plan.problems
    assert len(plan.unchanged) == len(list((copy / "tags").rglob("*.yaml")))


_ITEM = st.text(alphabet=st.sampled_from("ab;\\ 值"), max_size=6)


@given(st.lists(_ITEM, min_size=1, max_size=5).filter(any))
def test_a_list_cell_reads_back_as_its_items(items: list[str]) -> None:
    assert split_list_cell(list_cell(items)) == items
