"""Hints that name a tag name one that may stand there: never the tag itself, never an ended tag.

"did you mean" (TG301, TG305) and "use '...'" (TG303, TG304, TG305, TG413)
send a user to another tag; sending a tag to itself, or to a deprecated or
retired tag, only swaps one finding for another.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import gitrepo
import pytest
from clihelpers import tag_yaml
from test_lint_consistency import _depend, _set_status, edit

from tagctl.lint.engine import LintRequest, lint

TODAY = dt.date(2026, 11, 23)
LIVE = "tags/behavior/visit_product_30d.yaml"  # online, depends on nothing


def hints(root: Path, code: str, rel: str, against: str | None = None) -> list[str]:
    result = lint(LintRequest(catalog=root, cache=False, today=TODAY, against=against))
    return [v.hint for v in result.violations if v.code == code and v.rel == rel]


def depend(root: Path, rel: str, *names: str) -> None:
    def change(data: object) -> None:
        for name in names:
            _depend(data, name)

    edit(root / rel, change)


def replace_by(root: Path, rel: str, replacement: str) -> None:
    edit(root / rel, lambda data: data["deprecation"].__setitem__("replaced_by", replacement))


def test_a_misspelt_dependency_is_not_matched_with_the_tag_itself(sample_catalog: Path) -> None:
    rel = "tags/medical/book_laser_30d.yaml"
    text = tag_yaml("book_laser_30d", category="medical", extra="depends_on: [book_laserr_30d]\n")
    (sample_catalog / rel).write_text(text, encoding="utf-8")
    assert hints(sample_catalog, "TG301", rel) == [""]


def test_a_misspelt_dependency_suggests_the_next_closest_live_tag(sample_catalog: Path) -> None:
    rel = "tags/behavior/visit_store_30d.yaml"
    depend(sample_catalog, rel, "visit_stor_30d")  # closest: itself, then visit_store_7d
    (hint,) = hints(sample_catalog, "TG301", rel)
    assert hint not in ("did you mean 'visit_store_30d'?", "did you mean 'visit_store_7d'?")


@pytest.mark.parametrize(
    ("typo", "ended"),
    [
        ("legacy_vip_grad", "legacy_vip_grade"),  # retired
        ("view_article_3d", "view_article_30d"),  # retired
        ("churn_risk_scor", "churn_risk_score"),  # deprecated
    ],
)
def test_a_misspelt_dependency_is_not_matched_with_an_ended_tag(
    sample_catalog: Path, typo: str, ended: str
) -> None:
    depend(sample_catalog, LIVE, typo)
    (hint,) = hints(sample_catalog, "TG301", LIVE)
    assert ended not in hint


def test_a_deprecated_dependency_points_past_a_replacement_that_ended_too(
    sample_catalog: Path,
) -> None:
    # churn_risk_score -> churn_risk_7d, which is now deprecated -> ltv_score
    replaced = "tags/prediction/churn_risk_7d.yaml"
    edit(sample_catalog / replaced, lambda data: _set_status(data, "deprecated", "ltv_score"))
    depend(sample_catalog, LIVE, "churn_risk_score")
    assert hints(sample_catalog, "TG303", LIVE) == ["use 'ltv_score'"]


def test_a_dependency_is_never_told_to_use_its_own_tag(sample_catalog: Path) -> None:
    replace_by(sample_catalog, "tags/profile/age_group.yaml", "visit_product_30d")
    depend(sample_catalog, LIVE, "age_group")
    assert hints(sample_catalog, "TG303", LIVE) == [""]


def test_a_retired_dependency_is_not_told_to_use_an_ended_replacement(
    sample_catalog: Path,
) -> None:
    # legacy_vip_grade (retired) -> member_level, now retired with no replacement
    level = "tags/profile/member_level.yaml"
    edit(sample_catalog / level, lambda data: _set_status(data, "retired", None))
    depend(sample_catalog, LIVE, "legacy_vip_grade")
    assert set(hints(sample_catalog, "TG304", LIVE)) == {""}


def test_an_unknown_replacement_suggests_a_live_tag_other_than_itself(
    sample_catalog: Path,
) -> None:
    rel = "tags/behavior/visit_store_7d.yaml"
    replace_by(sample_catalog, rel, "visit_store_7")  # closest: itself, then visit_store_30d
    assert hints(sample_catalog, "TG305", rel) == ["did you mean 'visit_store_30d'?"]


def test_an_ended_replacement_points_to_its_own_live_replacement(sample_catalog: Path) -> None:
    rel = "tags/behavior/visit_store_7d.yaml"
    replace_by(sample_catalog, rel, "churn_risk_score")  # deprecated, replaced by churn_risk_7d
    assert hints(sample_catalog, "TG305", rel) == ["use 'churn_risk_7d'"]


def test_a_new_dependency_on_an_ended_tag_is_not_sent_to_an_ended_tag(tmp_path: Path) -> None:
    from clihelpers import copy_catalog

    root = copy_catalog(tmp_path / "catalog")
    gitrepo.init(root)
    gitrepo.commit(root, "base")
    replaced = "tags/prediction/churn_risk_7d.yaml"
    edit(root / replaced, lambda data: _set_status(data, "deprecated", "ltv_score"))
    depend(root, LIVE, "churn_risk_score")
    assert hints(root, "TG413", LIVE, against="HEAD") == ["use 'ltv_score'"]
