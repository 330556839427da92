"""The statistics of conversion contribution and drift, in plain Python.

These run on aggregates the warehouse returned (a handful of numbers per
tag), never on rows. Formulas:

- rates as fractions, None (null) where the whole is empty or unknown;
- two-proportion z-test with the pooled standard error, two-sided p-value;
- the confidence interval of the difference of two proportions with the
  unpooled (Wald) standard error;
- Benjamini-Hochberg q-values across the tags tested in one run;
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
    return z, 2 * (1 - _NORMAL.cdf(abs(z)))


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
