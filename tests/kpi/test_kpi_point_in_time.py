"""A run as of T does not see the future, on every backend.

The rule (docs/kpi.md, "Point in time"): a row dated at or after `as_of` did not exist
at `as_of` and is left out of every KPI; an undated row (NULL time) is
kept. Appending such rows to any table of a random warehouse leaves the
document of a run as of T unchanged, except for the notes that count them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from kpicatalog import AS_OF, CATALOG
from kpiwarehouse import (
    Backend,
    Dataset,
    Row,
    conversion,
    member,
    property_settings,
    touch,
    use,
    user,
    value,
)
from test_kpi_property import Case, cases, run_case

EXAMPLES = {"duckdb": 12, "sqlite": 12, "postgres": 4, "mysql": 4}
NAMES = [tag.name for tag in CATALOG]
LATE_NOTE = re.compile(r"^(tag_values|tag_usage): (\d+) rows? .* dated at or after as_of")

# At as_of exactly, one second later, or days later: all of them after T.
future = st.integers(0, 3 * 86400).map(lambda s: AS_OF + dt.timedelta(seconds=s)) | st.just(AS_OF)


@st.composite
def late_rows(draw: st.DrawFn, data: Dataset) -> Dataset:
    """Rows dated at or after AS_OF for every table, on the users and campaigns of `data`."""
    ids = st.integers(1, max(len(data.users), 1) + 2)
    text = st.sampled_from(["true", "false", "oily", "dry", "junk", "42", "7.5", "", "v01"])
    values = st.builds(value, ids, st.sampled_from([*NAMES, "ghost_tag"]), text, future)
    uses = st.builds(
        use,
        st.sampled_from(NAMES),
        future,
        st.sampled_from(["segment", "push"]),
        st.sampled_from(["a", "z"]),
        st.sampled_from(["crm", "new"]),
    )
    campaign = st.sampled_from(["c1", "c2", "c3"])
    group = st.sampled_from(["treatment", "control"])
    members = st.builds(member, campaign, ids, group, future)
    answer = st.none() | future
    touches = st.builds(touch, campaign, ids, future, st.just("delivered"), answer)
    buys = st.builds(conversion, ids, future, st.integers(1, 500).map(float))
    small = {"max_size": 6}
    return Dataset(
        users=[],
        tag_values=draw(st.lists(values, **small)),
        tag_usage=draw(st.lists(uses, **small)),
        campaign_tags=[],
        campaign_members=draw(st.lists(members, **small)),
        touches=draw(st.lists(touches, **small)),
        conversions=draw(st.lists(buys, **small)),
    )


def appended(data: Dataset, extra: Dataset) -> Dataset:
    def both(name: str) -> list[Row] | None:
        mine: list[Row] | None = getattr(data, name)
        return None if mine is None else [*mine, *(getattr(extra, name) or ())]

    return Dataset(**{f.name: both(f.name) for f in dataclasses.fields(Dataset)})


def split_notes(document: dict[str, Any]) -> tuple[dict[str, Any], dict[str, int]]:
    """The document without the notes on rows after as_of, and those notes' counts."""
    counts: dict[str, int] = {}
    kept = []
    for note in document["notes"]:
        found = LATE_NOTE.match(note)
        if found:
            counts[found.group(1)] = int(found.group(2))
        else:
            kept.append(note)
    return {**document, "notes": kept}, counts


def test_rows_after_as_of_change_nothing_but_notes(backend: Backend) -> None:
    @property_settings(EXAMPLES[backend.name])
    @given(case=cases(), data=st.data())
    def check(case: Case, data: st.DataObject) -> None:
        extra = data.draw(late_rows(case.data))
        before, counted = split_notes(run_case(backend, case).document())
        later = dataclasses.replace(case, data=appended(case.data, extra))
        after, counted_later = split_notes(run_case(backend, later).document())
        assert after == before
        for table, count in counted.items():
            assert counted_later.get(table, 0) >= count, table

    check()


def test_late_rows_are_left_out_and_usage_counts_them(backend: Backend) -> None:
    vip, skin = CATALOG[0].name, CATALOG[1].name
    data = Dataset(
        users=[user(1), user(2)],
        tag_values=[
            value(1, vip, "true", AS_OF - dt.timedelta(hours=1)),
            value(2, vip, "true", AS_OF),  # a value set at as_of did not exist at as_of
            value(2, skin, "oily", AS_OF + dt.timedelta(days=1)),
        ],
        tag_usage=[use(vip, AS_OF, "segment", "a", "crm")],
    )
    run = backend.run(data, CATALOG)
    kpi = run.tags[vip]
    assert (kpi.holders, kpi.last_updated) == (1, AS_OF - dt.timedelta(hours=1))
    assert kpi.freshness_hours == 1.0
    assert run.tags[skin].holders == 0 and run.tags[skin].last_updated is None
    assert run.tags[vip].usage is not None and run.tags[vip].usage.last_used is None
    late = [note for note in run.notes if LATE_NOTE.match(note)]
    # The long layout's values pass filters late rows without counting them.
    assert late == [
        "tag_usage: 1 row of the measured tags dated at or after as_of"
        " (2026-03-01T00:00:00) left out",
    ]


def test_touches_and_answers_after_as_of_are_not_counted(backend: Backend) -> None:
    vip = CATALOG[0].name
    selected = AS_OF - dt.timedelta(days=2)
    data = Dataset(
        users=[user(1), user(2), user(3)],
        campaign_tags=[{"campaign_id": "c1", "tag_name": vip}],
        campaign_members=[member("c1", uid, "treatment", selected) for uid in (1, 2, 3)],
        touches=[
            touch("c1", 1, selected, "delivered", AS_OF - dt.timedelta(seconds=1)),
            touch("c1", 2, selected, "delivered", AS_OF),  # answered at as_of: not yet
            touch("c1", 3, AS_OF, "delivered"),  # touched at as_of: not yet reached
        ],
    )
    activation = backend.run(data, CATALOG).tags[vip].activation
    assert activation is not None
    assert (activation.members, activation.reached, activation.responded) == (3, 2, 1)


def test_a_wide_row_updated_after_as_of_holds_nothing(backend: Backend) -> None:
    tags = [CATALOG[0], CATALOG[1]]
    vip, skin = tags[0].name, tags[1].name
    early, late = AS_OF - dt.timedelta(hours=2), AS_OF + dt.timedelta(minutes=5)
    data = Dataset(
        users=[user(1), user(2)],
        tag_values=[
            value(1, vip, "true", early),
            value(1, skin, "dry", early),
            value(2, vip, "true", late),  # user 2's whole row was rewritten after as_of
            value(2, skin, "oily", late),
        ],
    )
    wide = {"tag_values": {"layout": "wide"}}
    run = backend.run(data, tags, wide=tags, tables=wide)
    assert [run.tags[name].holders for name in (vip, skin)] == [1, 1]
    assert run.tags[skin].values is not None
    assert [(v.value, v.holders) for v in run.tags[skin].values] == [("dry", 1)]
    assert run.tags[vip].last_updated == early
    assert any(note.startswith("tag_values: 1 row ") for note in run.notes)
