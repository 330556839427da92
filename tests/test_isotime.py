"""Dates and times given on the command line read the same on every supported Python."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tagctl.isotime import parse_instant

UTC = dt.UTC
EAST8 = dt.timezone(dt.timedelta(hours=8))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-01", dt.datetime(2026, 11, 1)),
        ("2026-11-01T06:00Z", dt.datetime(2026, 11, 1, 6, tzinfo=UTC)),
        ("2026-11-01T06Z", dt.datetime(2026, 11, 1, 6, tzinfo=UTC)),
        ("2026-11-01 06:00:30", dt.datetime(2026, 11, 1, 6, 0, 30)),
        ("2026-11-01T06:00+08:00", dt.datetime(2026, 11, 1, 6, tzinfo=EAST8)),
        ("2026-11-01T06:00+0800", dt.datetime(2026, 11, 1, 6, tzinfo=EAST8)),
        ("2026-11-01T06:00+08", dt.datetime(2026, 11, 1, 6, tzinfo=EAST8)),
        ("2026-11-01T06:00:00.5Z", dt.datetime(2026, 11, 1, 6, 0, 0, 500_000, tzinfo=UTC)),
        ("2026-11-01T06:00:00,1234567", dt.datetime(2026, 11, 1, 6, 0, 0, 123_456)),
    ],
)
def test_the_forms_read_alike(text: str, expected: dt.datetime) -> None:
    found = parse_instant(text)
    assert found == expected and found.tzinfo == expected.tzinfo


@pytest.mark.parametrize(
    "text", ["x", "2026-13-01", "2026-11-01T25:00", "2026-11-01T", "06:00", "2026-11-01 6:00"]
)
def test_what_is_no_date_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_instant(text)


ZONES = st.none() | st.integers(-23 * 60, 23 * 60).map(
    lambda minutes: dt.timezone(dt.timedelta(minutes=minutes))
)


@given(st.datetimes(timezones=ZONES), st.sampled_from(["T", " "]))
def test_every_datetime_reads_back(moment: dt.datetime, sep: str) -> None:
    text = moment.isoformat(sep=sep)
    assert parse_instant(text) == moment
    if moment.utcoffset() == dt.timedelta(0):
        assert parse_instant(text.replace("+00:00", "Z")) == moment
    assert parse_instant(text) == dt.datetime.fromisoformat(text)
