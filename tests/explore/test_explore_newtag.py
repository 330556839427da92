"""`tagctl new` as a library: name checks, type guess, and a schema-valid file."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

import pytest
from explorehelpers import sample

from tagctl.catalog.reader import parse_into
from tagctl.catalog.schema import Checker
from tagctl.catalog.source import Source
from tagctl.errors import RuntimeFailure, UsageError
from tagctl.explore.newtag import NewTag, new_tag, write

TODAY = dt.date(2026, 11, 23)


def new(
    name: str, category: str = "transaction", kind: str | None = None, value_type: str | None = None
) -> NewTag:
    config, tags = sample()
    return new_tag(config, tags, name, category, kind, value_type, today=TODAY)


def parsed(text: str) -> dict[str, object]:
    source = Source(Path("x.yaml"), raw=text.encode())
    parse_into(source)
    assert isinstance(source.data, dict)
    return source.data


@pytest.mark.parametrize(
    ("name", "kind", "value_type", "window"),
    [
        ("purchase_serum_30d", "rule", "boolean", "30d"),
        ("churn_risk_30d", "model", "number", "30d"),
        ("vip_spring_gift", "strategy", "boolean", None),
        ("skin_tone", "fact", "string", None),
    ],
)
def test_type_value_type_and_window_follow_the_name(
    name: str, kind: str, value_type: str, window: str | None
) -> None:
    created = new(name)
    assert (created.type, created.value_type, created.window) == (kind, value_type, window)
    data = parsed(created.text)
    assert data["name"] == name and data["type"] == kind and data.get("window") == window
    assert created.path.parts[-3:] == ("tags", "transaction", f"{name}.yaml")


@pytest.mark.parametrize("value_type", ["boolean", "enum", "integer", "number", "string", "date"])
def test_the_file_passes_the_schema_and_holds_placeholders(value_type: str) -> None:
    created = new("skin_tone", "profile", kind="fact", value_type=value_type)
    data = parsed(created.text)
    assert Checker("tag").errors(data) == []
    assert data["status"] == "draft" and data["version"] == "0.1.0"
    assert "TODO" in str(data["display_name"]) and "TODO" in str(data["owners"])
    assert data["changelog"] == [
        {"version": "0.1.0", "date": "2026-11-23", "change": "First draft."}
    ]
    assert ("values" in data) == (value_type == "enum")


@pytest.mark.parametrize(
    ("name", "options", "message"),
    [
        ("Purchase-Serum", {}, "not lowercase snake_case"),
        ("purchase__serum", {}, "not lowercase snake_case"),
        ("x" * 49, {}, "the limit is 48"),
        ("purchse_serum_30d", {}, "'purchse' is not in the vocabulary 'actions'"),
        ("purchase_serum_31d", {}, "'31d' is not in the vocabulary 'windows'"),
        ("serum_buyers", {"kind": "rule"}, "does not match"),
        ("purchase_serum_30d", {"kind": "gadget"}, "unknown tag type"),
        ("purchase_serum_30d", {"value_type": "text"}, "unknown value type"),
        ("skin_type", {}, "already exists"),
    ],
)
def test_bad_names_and_options_are_refused(
    name: str, options: dict[str, str], message: str
) -> None:
    with pytest.raises(UsageError, match=re.escape(message)):
        new(name, "profile", **options)


def test_unknown_category_suggests_one() -> None:
    with pytest.raises(UsageError, match="unknown category: transactions") as caught:
        new("purchase_serum_30d", "transactions")
    assert "did you mean transaction?" in str(caught.value)


def test_write_never_replaces_a_file(tmp_path: Path) -> None:
    created = new("purchase_serum_30d")
    target = tmp_path / "tags" / "transaction" / "purchase_serum_30d.yaml"
    moved = dataclasses.replace(created, path=target)
    write(moved, tmp_path)
    assert target.read_text(encoding="utf-8") == created.text
    target.write_text("mine\n", encoding="utf-8")
    with pytest.raises(UsageError, match="never overwrites"):
        write(moved, tmp_path)
    assert target.read_text(encoding="utf-8") == "mine\n"


def test_write_never_follows_a_category_folder_out_of_the_catalog(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    catalog = tmp_path / "catalog"
    (catalog / "tags").mkdir(parents=True)
    (catalog / "tags" / "transaction").symlink_to(outside)
    created = new("purchase_serum_30d")
    moved = dataclasses.replace(created, path=catalog / "tags" / "transaction" / "x.yaml")
    with pytest.raises(UsageError, match="links outside the catalog"):
        write(moved, catalog)
    assert list(outside.iterdir()) == []


def test_a_category_path_that_is_a_file_is_a_clean_failure(tmp_path: Path) -> None:
    (tmp_path / "tags").mkdir()
    (tmp_path / "tags" / "transaction").write_text("a file\n", encoding="utf-8")
    created = new("purchase_serum_30d")
    moved = dataclasses.replace(created, path=tmp_path / "tags" / "transaction" / "x.yaml")
    with pytest.raises(RuntimeFailure, match="cannot make the folder"):
        write(moved, tmp_path)
