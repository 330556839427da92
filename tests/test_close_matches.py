"""The "did you mean" search gives difflib's own answer, whatever the names."""

from __future__ import annotations

import difflib

from hypothesis import given, settings
from hypothesis import strategies as st

from tagctl.rulekit.tagfile import close_matches

WORDS = st.text(alphabet="ab_cd1", max_size=12)


def by_length(names: list[str]) -> dict[int, list[str]]:
    grouped: dict[int, list[str]] = {}
    for name in names:
        grouped.setdefault(len(name), []).append(name)
    return grouped


@settings(max_examples=400, deadline=None)
@given(
    WORDS,
    st.lists(WORDS, max_size=40),
    st.integers(min_value=1, max_value=3),
    st.sampled_from([0.0, 0.3, 0.6, 0.8, 1.0]),
)
def test_same_answer_as_difflib(word: str, names: list[str], n: int, cutoff: float) -> None:
    expected = difflib.get_close_matches(word, names, n=n, cutoff=cutoff)
    assert close_matches(word, by_length(names), n, cutoff) == expected


def test_a_catalog_of_look_alikes() -> None:
    """Ties (many names one edit away) are broken as difflib breaks them."""
    names = [f"click_item{i:04d}_{w}" for i in range(300) for w in ("7d", "30d", "90d")]
    for word in ("click_item0042_30", "clik_item0042_30d", "click_item9999_1y", "zzz", ""):
        expected = difflib.get_close_matches(word, names, n=2)
        assert close_matches(word, by_length(names), 2) == expected
