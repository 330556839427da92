"""The wide layout (one row per user, a typed column per tag) agrees with the long layout.

The exact dataset, less the values a typed column cannot hold ('abc' in a
BIGINT column, 'yes' in a BOOLEAN one), is loaded both ways: tag_values as
(user_id, tag_name, tag_value, updated_at) rows, and as a wide table with
BOOLEAN, BIGINT, DOUBLE and VARCHAR columns named after the tags.
"""

from __future__ import annotations

from typing import Any

import pytest
from exactdata import exact_dataset
from kpicatalog import BRAND, FIRST_ORDER, LEGACY, LTV, PUSH, SKIN, VIP, VISITS
from kpiwarehouse import Backend, representable

from tagctl.kpi.result import KpiRun, TagKpi

DISTRIBUTED = [VIP, SKIN, VISITS, LTV, LEGACY, PUSH]  # boolean, enum, integer, number
TAGS = [*DISTRIBUTED, BRAND, FIRST_ORDER]
WIDE = {"tag_values": {"layout": "wide"}}


def summary(kpi: TagKpi) -> tuple[Any, ...]:
    values = [(v.value, v.holders, pytest.approx(v.share)) for v in kpi.values or ()]
    quality = kpi.audience_quality
    converted = quality.holders_converted if quality else None
    return kpi.holders, pytest.approx(kpi.coverage), kpi.domain_violations, values, converted


def both(backend: Backend) -> tuple[KpiRun, KpiRun]:
    data = representable(exact_dataset(), TAGS)
    long = backend.run(data, TAGS)
    wide = backend.run(data, TAGS, wide=TAGS, tables=WIDE)
    return long, wide


def test_wide_layout_matches_long(backend: Backend) -> None:
    long, wide = both(backend)
    assert wide.warehouse["layout"] == "wide"
    assert wide.population.size == long.population.size == 30
    for tag in DISTRIBUTED:
        assert summary(wide.tags[tag.name]) == summary(long.tags[tag.name]), tag.name
    # Values that fit the column types, counted by hand from exactdata.py:
    # vip_member 1-10 true, no violation ('yes' cannot be stored); skin_type 14
    # holders, 'greasy' and 'unknown'; visit_count_90d 1-9 and 13, '91' and '-1'
    # out of range; ltv_score 1-8 and 10, '1000.5' and '-0.1' out of range.
    found = {tag.name: wide.tags[tag.name] for tag in DISTRIBUTED}
    assert {name: (k.holders, k.domain_violations) for name, k in found.items()} == {
        "vip_member": (10, 0),
        "skin_type": (14, 2),
        "visit_count_90d": (10, 2),
        "ltv_score": (9, 2),
        "legacy_segment": (3, 0),
        "push_optin": (0, 0),
    }
    assert [(v.value, v.holders) for v in found["visit_count_90d"].values or ()] == [
        ("<1", 1),
        ("[1, 5)", 2),
        ("[5, 10)", 3),
        (">=10", 2),
    ]
    for name in ("overall", "core_any", "core_all", "core_mean"):
        assert getattr(wide.catalog.coverage, name) == pytest.approx(
            getattr(long.catalog.coverage, name)
        ), name
    assert wide.catalog.coverage.categories == pytest.approx(long.catalog.coverage.categories)


def test_wide_string_and_date_tags_have_holders_but_no_distribution(backend: Backend) -> None:
    long, wide = both(backend)
    for tag in (BRAND, FIRST_ORDER):
        kpi = wide.tags[tag.name]
        assert kpi.holders == long.tags[tag.name].holders
        assert kpi.domain_violations == long.tags[tag.name].domain_violations
        assert (kpi.values, kpi.values_other) == (None, None)
    assert "wide layout: string and date tags have no value distribution" in wide.notes
