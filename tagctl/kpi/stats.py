"""The statistics of conversion contribution and drift, in plain Python.

These run on aggregates the warehouse returned (a handful of numbers per
tag), never on rows. Formulas:

- rates as fractions, None (null) where the whole is empty or unknown;
- two-proportion z-test with the pooled standard error, two-sided p-value;
- the confidence interval of the difference of two proportions with the
  unpooled (Wald) standard error;
- Benjamini-Hochberg q-values across the tags tested in one run;
- Welch's interval of the difference of two means (Student's t with the
  Welch-Satterthwaite degrees of freedom);
- the population stability index, with a floor for empty buckets.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from statistics import NormalDist

_NORMAL = NormalDist()
PSI_FLOOR = 1e-4  # share given to an empty bucket, so that log() stays finite


@dataclass(frozen=True)
class Lift:
    """Treatment against control: rates, difference, interval, test."""

    treatment_rate: float
    control_rate: float
    absolute: float
    relative: float | None
    ci_low: float
    ci_high: float
    z: float | None
    p_value: float | None


def lift(
    treated: int, treatment: int, converted_control: int, control: int, level: float = 0.95
) -> Lift | None:
    """Compare `treated`/`treatment` with `converted_control`/`control`; None without data."""
    if treatment <= 0 or control <= 0:
        return None
    p1, p2 = treated / treatment, converted_control / control
    difference = p1 - p2
    half = _NORMAL.inv_cdf(0.5 + level / 2) * math.sqrt(
        p1 * (1 - p1) / treatment + p2 * (1 - p2) / control
    )
    z, p_value = z_test(treated, treatment, converted_control, control)
    return Lift(
        treatment_rate=p1,
        control_rate=p2,
        absolute=difference,
        relative=difference / p2 if p2 > 0 else None,
        ci_low=difference - half,
        ci_high=difference + half,
        z=z,
        p_value=p_value,
    )


def z_test(x1: int, n1: int, x2: int, n2: int) -> tuple[float | None, float | None]:
    """Two-proportion z statistic and two-sided p-value (pooled standard error).

    Undefined (None, None) when either group is empty or the pooled rate is 0
    or 1: there is no variance to test against.
    """
    if n1 <= 0 or n2 <= 0:
        return None, None
    pooled = (x1 + x2) / (n1 + n2)
    variance = pooled * (1 - pooled) * (1 / n1 + 1 / n2)
    if variance <= 0:
        return None, None
    z = (x1 / n1 - x2 / n2) / math.sqrt(variance)
    # erfc, not 2 * (1 - cdf): the subtraction rounds any p below 1e-16 to 0
    return z, math.erfc(abs(z) / math.sqrt(2))


@dataclass(frozen=True)
class MeanDifference:
    difference: float
    ci_low: float | None
    ci_high: float | None


def welch(
    n1: int,
    sum1: float,
    squares1: float,
    n2: int,
    sum2: float,
    squares2: float,
    level: float = 0.95,
) -> MeanDifference | None:
    """The difference of two means from counts, sums and sums of squares, with Welch's interval.

    None when a group is empty. The interval needs two values in each group
    (a variance); with no spread at all it is the difference itself.
    """
    if n1 <= 0 or n2 <= 0:
        return None
    mean1, mean2 = sum1 / n1, sum2 / n2
    difference = mean1 - mean2
    if n1 < 2 or n2 < 2:
        return MeanDifference(difference, None, None)
    v1 = max(squares1 - n1 * mean1 * mean1, 0.0) / (n1 - 1) / n1  # variance of the mean
    v2 = max(squares2 - n2 * mean2 * mean2, 0.0) / (n2 - 1) / n2
    if v1 + v2 <= 0:
        return MeanDifference(difference, difference, difference)
    df = (v1 + v2) ** 2 / (v1 * v1 / (n1 - 1) + v2 * v2 / (n2 - 1))
    half = t_quantile(0.5 + level / 2, df) * math.sqrt(v1 + v2)
    return MeanDifference(difference, difference - half, difference + half)


def t_quantile(probability: float, df: float) -> float:
    """The `probability` quantile of Student's t with `df` degrees of freedom (df > 0)."""
    low, high = 0.0, 1.0
    while t_cdf(high, df) < probability:
        low, high = high, high * 2
    for _ in range(100):  # bisection: the cdf is monotone; 100 halvings reach float precision
        middle = (low + high) / 2
        if t_cdf(middle, df) < probability:
            low = middle
        else:
            high = middle
    return (low + high) / 2


def t_cdf(t: float, df: float) -> float:
    """P(T <= t) for Student's t, through the regularized incomplete beta function."""
    tail = 0.5 * _incomplete_beta(df / 2, 0.5, df / (df + t * t))
    return 1 - tail if t >= 0 else tail


def _incomplete_beta(a: float, b: float, x: float) -> float:
    """I_x(a, b), by its continued fraction (Lentz's method) on the side where it converges."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    log_front = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)
    front = math.exp(log_front + a * math.log(x) + b * math.log1p(-x))
    if x < (a + 1) / (a + b + 2):
        return front * _beta_fraction(a, b, x) / a
    return 1 - front * _beta_fraction(b, a, 1 - x) / b


def _beta_fraction(a: float, b: float, x: float) -> float:
    tiny = 1e-300
    c, d = 1.0, 1 - (a + b) * x / (a + 1)
    d = 1 / (d if abs(d) > tiny else tiny)
    result = d
    for m in range(1, 300):
        for numerator in (
            m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
            -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1)),
        ):
            d = 1 + numerator * d
            d = 1 / (d if abs(d) > tiny else tiny)
            c = 1 + numerator / c
            c = c if abs(c) > tiny else tiny
            result *= c * d
        if abs(c * d - 1) < 1e-15:
            break
    return result


def benjamini_hochberg(p_values: Sequence[float | None]) -> list[float | None]:
    """q-values in the order given; None (no test) stays None and is not counted."""
    tested = sorted((p, i) for i, p in enumerate(p_values) if p is not None)
    m = len(tested)
    q: list[float | None] = [None] * len(p_values)
    running = 1.0
    for rank in range(m, 0, -1):
        p, index = tested[rank - 1]
        running = min(running, p * m / rank)
        q[index] = running
    return q


def rate(part: int | None, whole: int | None) -> float | None:
    """`part / whole`; None when the part is unknown or the whole is 0 or unknown."""
    if part is None or not whole:
        return None
    return part / whole


def significant(q_value: float | None, sizes: Sequence[int], min_sample: int) -> bool:
    """A lift counts only when q < 0.05 and every group reaches the minimum sample."""
    return q_value is not None and q_value < 0.05 and all(n >= min_sample for n in sizes)


def psi(expected: Mapping[str, float], actual: Mapping[str, float]) -> float | None:
    """Population stability index of two distributions given as bucket -> share.

    Buckets missing on one side count as empty (floored at PSI_FLOOR). None
    when either side is empty altogether.
    """
    if not expected or not actual or sum(expected.values()) <= 0 or sum(actual.values()) <= 0:
        return None
    e_total, a_total = sum(expected.values()), sum(actual.values())
    total = 0.0
    for bucket in expected.keys() | actual.keys():
        e = max(expected.get(bucket, 0.0) / e_total, PSI_FLOOR)
        a = max(actual.get(bucket, 0.0) / a_total, PSI_FLOOR)
        total += (a - e) * math.log(a / e)
    return total
