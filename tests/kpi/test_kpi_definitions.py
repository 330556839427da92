"""The KPI definitions docs/kpi.md states, checked where an independent
re-implementation would have to guess: the "(invalid)" bucket of PSI, the PSI
floor, the rounding of the JSON document, attribution to several campaigns
of one tag, and the document's `format_version`.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from kpicatalog import AS_OF, CATALOG, PUSH, SKIN, VIP
from kpiwarehouse import Backend, Dataset, conversion, member, user, value

from tagctl.catalog.schema import load_schema
from tagctl.kpi import records, result, stats
from tagctl.kpi.assemble import distribution
from tagctl.kpi.history import RUNS, open_history
from tagctl.kpi.result import TagKpi

EARLIER = AS_OF - dt.timedelta(hours=1)


def test_a_boolean_value_neither_true_nor_false_is_invalid_not_no_value() -> None:
    kpi = TagKpi("online", "profile", "boolean", "core", holders=3, domain_violations=2)
    kpi.values, kpi.values_other = [result.ValueShare("true", 3, 1.0)], 0
    assert distribution(kpi, 10) == {"true": 3, "(invalid)": 2, "(no value)": 5}


def test_other_types_keep_their_invalid_holders_in_invalid() -> None:
    kpi = TagKpi("online", "profile", "enum", "core", holders=4, domain_violations=1)
    kpi.values, kpi.values_other = [result.ValueShare("oily", 3, 0.75)], 0
    assert distribution(kpi, 10) == {"oily": 3, "(invalid)": 1, "(no value)": 6}


def test_the_history_keeps_invalid_booleans_in_the_invalid_bucket(
    file_backend: Backend, tmp_path: Path
) -> None:
    data = Dataset(
        users=[user(uid) for uid in range(1, 6)],
        tag_values=[
            value(1, VIP.name, "true", EARLIER),
            value(2, VIP.name, "yes", EARLIER),
            value(3, VIP.name, "false", EARLIER),
        ],
    )
    run = file_backend.run(data, CATALOG)
    with open_history(f"sqlite:///{tmp_path / 'history.sqlite'}") as history:
        history.save(run)
        baseline = history.baseline(AS_OF + dt.timedelta(days=1))
    assert baseline is not None
    assert baseline.distributions[VIP.name] == {"true": 1, "(invalid)": 1, "(no value)": 3}


def test_psi_floors_every_share_at_1e_4_without_renormalising() -> None:
    expected = {"a": 99_999, "b": 1}  # b's share 1e-5 is floored like an empty bucket's
    actual = {"a": 100_000}
    only_a = (1 - 0.99999) * math.log(1 / 0.99999)  # b adds nothing: 1e-4 on both sides
    assert stats.psi(expected, actual) == pytest.approx(only_a, rel=1e-9)
    e = {"a": 0.5, "b": 0.49995, "c": 0.00005}
    a = {"a": 0.6, "b": 0.4}
    floored_e = {"a": 0.5, "b": 0.49995, "c": 1e-4}
    floored_a = {"a": 0.6, "b": 0.4, "c": 1e-4}
    want = sum((floored_a[k] - floored_e[k]) * math.log(floored_a[k] / floored_e[k]) for k in e)
    assert stats.psi(e, a) == pytest.approx(want, rel=1e-12)


def test_the_json_document_keeps_six_significant_digits() -> None:
    assert records.plain({"rate": 1 / 3, "p": 1.234567891e-12, "n": 123456789}) == {
        "rate": 0.333333,
        "p": 1.23457e-12,
        "n": 123456789,
    }


def test_a_mean_on_a_tie_of_the_sixth_digit_rounds_alike_whatever_the_sum_order() -> None:
    """2608569 cents over 36 orders is 724.6025: engines sum in their own order."""
    sums = [sum(order) for order in (_cents(), list(reversed(_cents())), sorted(_cents()))]
    means = {records.plain(total / 36) for total in sums}
    assert means == {records.plain(2608569 / 100 / 36)}
    assert records.plain(724.6025 * (1 + 4e-16)) == records.plain(724.6025 * (1 - 4e-16))


def _cents() -> list[float]:
    """36 amounts in cents that sum to 26085.69, each with the binary error of its cents."""
    amounts = [724.60 + (i % 7) * 0.01 - 0.03 for i in range(35)]
    return [*amounts, round(26085.69 - sum(amounts), 2)]


def test_a_conversion_attributed_to_two_campaigns_of_a_tag_counts_in_each(
    backend: Backend,
) -> None:
    selected = AS_OF - dt.timedelta(days=3)
    data = Dataset(
        users=[user(1), user(2)],
        campaign_tags=[{"campaign_id": c, "tag_name": PUSH.name} for c in ("c1", "c2")],
        campaign_members=[
            member("c1", 1, "treatment", selected),
            member("c2", 1, "treatment", selected),
            member("c1", 2, "control", selected),
        ],
        conversions=[conversion(1, selected + dt.timedelta(days=1), 80.0)],
    )
    found = backend.run(data, CATALOG).tags[PUSH.name].conversion
    assert found is not None
    treatment = found.treatment
    assert (found.campaigns, treatment.members, treatment.converted, found.orders) == (2, 2, 2, 2)
    assert found.average_order_value == 80.0  # the order twice, 160 over 2


def test_the_document_starts_with_its_format_version(file_backend: Backend) -> None:
    data = Dataset(users=[user(1)], tag_values=[value(1, SKIN.name, "oily", EARLIER)])
    document = file_backend.run(data, CATALOG).document()
    assert next(iter(document)) == "format_version"
    assert document["format_version"] == result.FORMAT_VERSION == 1
    validator = Draft202012Validator(load_schema("kpi-result"))
    assert [e.message for e in validator.iter_errors(document)] == []
    del document["format_version"]
    assert any("format_version" in e.message for e in validator.iter_errors(document))


def test_a_saved_document_without_format_version_reads_as_version_1(
    file_backend: Backend, tmp_path: Path
) -> None:
    data = Dataset(users=[user(1)], tag_values=[value(1, SKIN.name, "oily", EARLIER)])
    run = file_backend.run(data, CATALOG)
    url = f"sqlite:///{tmp_path / 'history.sqlite'}"
    with open_history(url) as history:
        run_id = history.save(run)
        old = run.document()
        del old["format_version"]  # as older versions of tagctl saved it
        with history.database.engine.begin() as connection:
            connection.execute(
                RUNS.update().where(RUNS.c.run_id == run_id).values(document=json.dumps(old))
            )
        document = history.document(run_id)
    assert document is not None and document["format_version"] == 1
