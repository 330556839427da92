"""What values a demo tag takes, and what an out-of-domain value of it looks like.

Every tag maps to one of five generators: `boolean` ('true' for a holder),
`choice` (one of a list: the enum's values, or plausible strings for a
string tag), `integer`, `number` (two decimals) and `date` (days before
`as_of`). The draws are skewed with a power `skew` > 1, so the first values
of a list and the low end of a range are the common ones, as in real data.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from tagctl.catalog.tags import Tag

# Plausible values of free-text tags, chosen by a word in the tag's name.
_STRINGS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("store", tuple(f"S{number:03d}" for number in range(1, 121))),
    (
        "brand",
        ("Lumiere", "Aurelle", "Maison Iris", "Verdant Lab", "Solenne", "Kirei", "Nordlys"),
    ),
    ("city", ("Shanghai", "Beijing", "Shenzhen", "Hangzhou", "Chengdu", "Wuhan", "Xiamen")),
    ("channel", ("app", "miniapp", "store", "clinic", "marketplace")),
)
_UNKNOWN_CHOICES = ("other", "unmapped", "N/A", "legacy_0")
_DATE_DAYS = (1.0, 1095.0)  # a date tag's values lie this many days before as_of
_NUMBER_CAP = 1e12  # keeps two-decimal values exact in DECIMAL(18, 2)


@dataclass(frozen=True)
class Domain:
    """The generator of one tag's values; unused fields keep neutral defaults."""

    kind: str
    choices: tuple[str, ...] = ("",)
    low: float = 0.0
    high: float = 0.0
    skew: float = 1.0
    bad_value: str | None = None  # None: the tag has no value outside its domain

    @property
    def sql_type(self) -> str:
        """The column type of the tag in the wide layout when all its values are valid."""
        return {"boolean": "BOOLEAN", "integer": "BIGINT", "number": "DOUBLE", "date": "DATE"}.get(
            self.kind, "VARCHAR"
        )


def domain_of(tag: Tag, rng: random.Random) -> Domain:
    """The value generator of `tag`; `rng` draws its skew."""
    if tag.value_type == "boolean":
        return Domain("boolean", bad_value="yes")
    if tag.value_type == "enum" and tag.values:
        choices = tuple(value.value for value in tag.values)
        bad = next(text for text in _UNKNOWN_CHOICES if text not in choices)
        return Domain("choice", choices, skew=rng.uniform(1.5, 3.0), bad_value=bad)
    if tag.value_type in ("integer", "number"):
        return _numeric(tag, rng.uniform(1.0, 3.0))
    if tag.value_type == "date":
        return Domain(
            "date", low=_DATE_DAYS[0], high=_DATE_DAYS[1], skew=1.5, bad_value="not-a-date"
        )
    return Domain("choice", _strings(tag.name), skew=rng.uniform(1.5, 3.0))


def _numeric(tag: Tag, skew: float) -> Domain:
    low = tag.minimum if tag.minimum is not None else 0.0
    if tag.maximum is not None:
        high = tag.maximum
    elif tag.bins:
        high = tag.bins[-1] * 1.5
    else:
        high = low + 100.0
    low, high = max(low, -_NUMBER_CAP), min(max(high, low), _NUMBER_CAP)
    if tag.value_type == "integer":
        low, high = float(int(low)), float(int(high))
    return Domain(tag.value_type, low=low, high=high, skew=skew, bad_value=_bad_number(tag))


def _bad_number(tag: Tag) -> str:
    """Above the maximum when there is one, else below the minimum, else not a number."""
    if tag.value_type == "integer":
        if tag.maximum is None:
            return "n/a"
        return str(int(tag.maximum) + max(1, abs(int(tag.maximum))))
    if tag.maximum is not None:
        return f"{tag.maximum + max(1.0, abs(tag.maximum) / 2):.2f}"
    if tag.minimum is not None:
        return f"{tag.minimum - 1.5:.2f}"
    return "n/a"


def _strings(name: str) -> tuple[str, ...]:
    for word, values in _STRINGS:
        if word in name:
            return values
    return tuple(f"{name}_{number:02d}" for number in range(1, 13))
