"""`tagctl list` filters."""

from __future__ import annotations

import pytest
from explorehelpers import make_tag

from tagctl.errors import UsageError
from tagctl.explore.listing import Filters, select

TAGS = [
    make_tag("a", category="profile", status="online", type="fact", business_owner="Li.Na@x.com"),
    make_tag("b", category="profile", status="deprecated", type="fact", data_owner="wang@x.com"),
    make_tag("c", category="behavior", status="online", type="rule", creator="li.na@x.com"),
]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Filters(), ["a", "b", "c"]),
        (Filters(category="profile"), ["a", "b"]),
        (Filters(status="online"), ["a", "c"]),
        (Filters(type="rule"), ["c"]),
        (Filters(owner="li.na"), ["a", "c"]),
        (Filters(owner="WANG"), ["b"]),
        (Filters(category="profile", status="online"), ["a"]),
    ],
)
def test_filters_combine_with_and(filters: Filters, expected: list[str]) -> None:
    assert [tag.name for tag in select(TAGS, filters)] == expected


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        (Filters(category="profil"), "did you mean profile?"),
        (Filters(status="live"), "unknown status: live"),
        (Filters(type="modle"), "did you mean model?"),
    ],
)
def test_unknown_values_are_usage_errors(filters: Filters, message: str) -> None:
    with pytest.raises(UsageError) as caught:
        filters.check(["profile", "behavior"])
    assert message in str(caught.value)
