"""A run's value KPIs against valuereference.py's, listed as precise differences.

`differences` compares the typed run (full precision: relative 1e-9) and
its JSON document (six significant digits, as `result._plain` writes
floats) with the reference's blocks, and returns one line per difference:
where, what the reference says, what the run says. An empty list is
agreement.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from valuereference import Values

from tagctl.kpi.result import KpiRun

QUALITY = (
    "holder_orders",
    "holder_aov",
    "population_aov",
    "aov_index",
    "holder_repeat_rate",
    "population_repeat_rate",
    "repeat_index",
)
CYCLE = (
    "conversion_cycle_days",
    "control_cycle_days",
    "cycle_difference_days",
    "cycle_ci_low",
    "cycle_ci_high",
)
# Days are differences of timestamps, which SQLite computes from Julian days:
# a few microseconds of noise. p- and q-values may be tiny.
ABSOLUTE = {key: 1e-8 for key in CYCLE} | {"p_value": 1e-12, "q_value": 1e-12}
FULL, DOCUMENT = 1e-9, 5e-6 + 1e-9  # six significant digits: within 5e-6 relative


def differences(run: KpiRun, want: Values) -> list[str]:
    """Every difference of the run and its document from the reference."""
    typed = {
        "tags": {name: dataclasses.asdict(kpi) for name, kpi in run.tags.items()},
        "catalog": dataclasses.asdict(run.catalog),
        "combinations": _plain_list(run.combinations),
    }
    found = _against(typed, want, FULL, "run")
    found += _against(run.document(), want, DOCUMENT, "document")
    if not want.costs and not any("campaign_costs" in note for note in run.notes):
        found.append(f"run.notes: no note names campaign_costs: {run.notes}")
    return found


def assert_agrees(run: KpiRun, want: Values) -> None:
    """Fail with every difference of the run from the reference, one per line."""
    found = differences(run, want)
    assert not found, f"{len(found)} differences:\n" + "\n".join(found)


def _plain_list(items: list[Any] | None) -> list[dict[str, Any]] | None:
    return None if items is None else [dataclasses.asdict(item) for item in items]


def _against(document: Mapping[str, Any], want: Values, rel: float, where: str) -> list[str]:
    found: list[str] = []
    tags = document["tags"]
    for name, block in want.quality.items():
        got = tags[name].get("audience_quality")
        found += compare(f"{where}.tags.{name}.audience_quality", _keys(got, QUALITY), block, rel)
    for name, block in want.cycle.items():
        got = tags[name].get("conversion")
        found += compare(f"{where}.tags.{name}.conversion", _keys(got, CYCLE), block, rel)
    for name, block in want.roi.items():
        found += compare(f"{where}.tags.{name}.roi", tags[name].get("roi"), block, rel)
    found += compare(
        f"{where}.combinations", document.get("combinations", "(missing)"), want.combinations, rel
    )
    driven = document["catalog"].get("tag_driven", "(missing)")
    found += compare(f"{where}.catalog.tag_driven", driven, want.tag_driven, rel)
    return found


def _keys(block: Mapping[str, Any] | None, keys: tuple[str, ...]) -> dict[str, Any] | None:
    if block is None:
        return None
    return {key: block.get(key, "(missing)") for key in keys}


def compare(path: str, got: Any, want: Any, rel: float, key: str = "") -> list[str]:
    """The differences of `got` from `want` under `path`; floats within `rel` (or ABSOLUTE)."""
    if isinstance(want, Mapping) and isinstance(got, Mapping):
        found: list[str] = []
        for name, item in want.items():
            found += compare(f"{path}.{name}", got.get(name, "(missing)"), item, rel, name)
        return found
    if isinstance(want, list) and isinstance(got, list):
        if len(got) != len(want):
            sizes = f"expected {len(want)} items {_short(want)}, got {len(got)} {_short(got)}"
            return [f"{path}: {sizes}"]
        return [
            line
            for i, (one, other) in enumerate(zip(got, want, strict=True))
            for line in compare(f"{path}[{i}]", one, other, rel, key)
        ]
    if _same(got, want, rel, ABSOLUTE.get(key, 1e-9)):
        return []
    return [f"{path}: expected {want!r}, got {got!r}"]


def _same(got: Any, want: Any, rel: float, absolute: float) -> bool:
    """Equal, counts exactly (an int for an int), other numbers within the tolerance."""
    if not isinstance(want, (int, float)) or isinstance(want, bool) or isinstance(got, bool):
        return bool(got == want) and type(got) is type(want)
    if isinstance(want, int):
        return isinstance(got, int) and got == want
    if not isinstance(got, (int, float)):
        return False
    return abs(got - want) <= max(rel * abs(want), absolute)


def _short(items: list[Any]) -> str:
    """A list of blocks named by their tags when they have any."""
    names = [item.get("tags") if isinstance(item, Mapping) else item for item in items]
    return repr(names)
