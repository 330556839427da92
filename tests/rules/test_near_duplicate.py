"""TG507 beyond its cases: what it reads, and that the lint cache does not change its answer.

The cases (cases/TG507.yaml) say what is reported; these tests say what it
costs: nothing without `--against`, and with it only the files of the live
tags that could reach the threshold are read.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import gitrepo
import pytest
from rulecases import BASE_TAG, default_file, merge
from test_rule_cases import TEST_CONFIG, dump

import tagctl.rules.tg507_near_duplicate as near_duplicate
from tagctl.lint.engine import LintRequest, lint

OBJECTS = ["product", "store", "app", "serum", "cream", "mask", "coupon", "live", "article"]
ACTIONS = ["visit", "view", "search", "purchase", "share"]


def distinct_tag(action: str, obj: str) -> dict[str, Any]:
    """A tag of its own: name, display names, description, table and logic all differ."""
    return merge(
        BASE_TAG,
        {
            "name": f"{action}_{obj}_30d",
            "display_name": {"zh": f"近30天{action}{obj}", "en": f"{action} {obj} lately"},
            "description": f"Every {action} event on {obj} pages, counted for {obj} audiences.",
            "source": {"system": "cdp", "tables": [f"dwd.{action}_{obj}_events"]},
            "logic": f"SELECT user_id FROM dwd.{action}_{obj}_events WHERE kind = '{obj}'\n",
        },
    )


def write(root: Path, tag: dict[str, Any]) -> None:
    path = root / default_file(tag)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dump(tag), encoding="utf-8")


@pytest.fixture
def catalog(tmp_path: Path) -> Path:
    """45 distinct live tags committed, then a renamed copy of one of them added."""
    (tmp_path / "tagctl.yaml").write_text(dump(TEST_CONFIG), encoding="utf-8")
    gitrepo.init(tmp_path)
    for action in ACTIONS:
        for obj in OBJECTS:
            write(tmp_path, distinct_tag(action, obj))
    gitrepo.commit(tmp_path, "base")
    write(tmp_path, {**distinct_tag("view", "serum"), "name": "browse_serum_30d"})
    return tmp_path


def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files TG507 reads from now on."""
    seen: list[str] = []
    original = near_duplicate.read_source

    def counting(path: Path) -> Any:
        seen.append(path.name)
        return original(path)

    monkeypatch.setattr(near_duplicate, "read_source", counting)
    return seen


def tg507(catalog: Path, against: str | None, cache: bool = False) -> list[str]:
    request = LintRequest(catalog=catalog, cache=cache, against=against, only=["TG507"])
    return [f"{v.rel} {v.message}" for v in lint(request).violations]


def test_reads_only_the_likely_look_alikes(catalog: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen = reads(monkeypatch)
    found = tg507(catalog, "HEAD")
    assert found == [
        "tags/behavior/browse_serum_30d.yaml nearly identical to live tag 'view_serum_30d' "
        "(similarity 0.90, matched: zh, en, description, source, logic, category)"
    ]
    assert seen == ["view_serum_30d.yaml"]


def test_without_a_ref_nothing_is_read(catalog: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen = reads(monkeypatch)
    assert tg507(catalog, None) == []
    assert seen == []


def test_the_same_answer_from_the_cache(catalog: Path) -> None:
    cold = tg507(catalog, "HEAD", cache=True)
    assert cold and tg507(catalog, "HEAD", cache=True) == cold
