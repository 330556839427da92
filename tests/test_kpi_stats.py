"""Statistics checked against published answers, computed independently of this code."""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tagctl.kpi.stats import benjamini_hochberg, lift, psi, significant, z_test


def test_z_test_matches_the_chi_square_test_of_a_2x2_table() -> None:
    # 45/100 against 30/100: chi-square without continuity correction is 4.8
    # (p = 0.02846); the z statistic is its square root.
    z, p = z_test(45, 100, 30, 100)
    assert z == pytest.approx(math.sqrt(4.8), rel=1e-9)
    assert p == pytest.approx(0.028459737, rel=1e-6)


def test_interval_of_the_difference_is_the_wald_interval() -> None:
    # Same table: 0.15 +- 1.959964 * sqrt(.45*.55/100 + .3*.7/100)
    # = 0.15 +- 1.959964 * 0.0676387 = [0.0174305, 0.2825695].
    result = lift(45, 100, 30, 100)
    assert result is not None
    assert (result.ci_low, result.ci_high) == (
        pytest.approx(0.0174305, abs=1e-7),
        pytest.approx(0.2825695, abs=1e-7),
    )
    assert result.absolute == pytest.approx(0.15)
    assert result.relative == pytest.approx(0.5)


def test_benjamini_hochberg_reproduces_the_1995_paper() -> None:
    # The fifteen p-values of Benjamini & Hochberg (1995), section 4: at 0.05
    # the four smallest are rejected.
    p = [0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344,
         0.0459, 0.3240, 0.4262, 0.5719, 0.6528, 0.7590, 1.0000]  # fmt: skip
    expected = [0.0015, 0.003, 0.0095, 0.035625, 0.0603, 0.0638571, 0.0638571, 0.0645,
                0.0765, 0.486, 0.5811818, 0.714875, 0.7532308, 0.8132143, 1.0]  # fmt: skip
    q = benjamini_hochberg(p)
    assert q == [pytest.approx(value, abs=1e-6) for value in expected]
    assert sum(1 for value in q if value is not None and value < 0.05) == 4


def test_benjamini_hochberg_keeps_order_and_skips_untested() -> None:
    q = benjamini_hochberg([0.04, None, 0.01, 0.03])
    assert q[1] is None
    assert q == [pytest.approx(0.04), None, pytest.approx(0.03), pytest.approx(0.04)]


@given(st.lists(st.floats(min_value=0, max_value=1), min_size=1, max_size=40))
def test_q_values_are_at_least_p_and_monotone_in_p(p: list[float]) -> None:
    q = benjamini_hochberg(p)
    pairs = sorted(zip(p, q, strict=True))
    for p_value, q_value in pairs:
        assert q_value is not None and p_value <= q_value + 1e-12 and q_value <= 1.0
    for (_, left), (_, right) in itertools.pairwise(pairs):
        assert left is not None and right is not None and left <= right + 1e-12


def test_psi_of_a_worked_example() -> None:
    # sum((a - e) * ln(a / e)) over four buckets.
    expected = {"a": 0.1, "b": 0.2, "c": 0.3, "d": 0.4}
    actual = {"a": 0.15, "b": 0.25, "c": 0.25, "d": 0.35}
    assert psi(expected, actual) == pytest.approx(0.0472232, abs=1e-6)
    assert psi(expected, expected) == pytest.approx(0.0)


def test_psi_counts_a_bucket_that_appears_or_empties() -> None:
    before = {"true": 0.3, "no value": 0.7}
    after = {"true": 0.6, "no value": 0.4}
    assert psi(before, after) > 0.25  # a coverage jump is drift
    assert psi({"x": 1.0}, {"y": 1.0}) > 10  # disjoint: large, but finite
    assert psi({}, after) is None


def test_undefined_tests_are_none_not_numbers() -> None:
    assert z_test(0, 100, 0, 100) == (None, None)
    assert z_test(1, 0, 1, 10) == (None, None)
    assert lift(1, 0, 1, 10) is None


def test_significance_needs_the_minimum_sample() -> None:
    assert significant(0.01, [500, 500], 200)
    assert not significant(0.01, [500, 150], 200)
    assert not significant(0.06, [500, 500], 200)
    assert not significant(None, [500, 500], 200)


def test_a_tiny_p_value_is_not_rounded_to_zero() -> None:
    """z = 8.5 is p = 1.9e-17: the document keeps it (six significant digits), as its q."""
    z, p_value = z_test(1134, 10899, 132, 2637)
    assert z is not None and z > 8
    assert p_value is not None and 0 < p_value < 1e-15
    assert p_value == pytest.approx(math.erfc(z / math.sqrt(2)), rel=1e-12)
    assert benjamini_hochberg([p_value, 0.5])[0] == pytest.approx(2 * p_value)
