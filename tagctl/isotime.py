"""ISO 8601 dates and times, read one way.

`parse_instant` writes the forms tagctl's flags take (a trailing `Z`,
offsets with or without a colon, a time that stops at the hour or the
minute, fractions of any length, cut to microseconds) in one normal form
before `datetime.fromisoformat` reads it, so that what a flag means does
not depend on the Python that runs it.
"""

from __future__ import annotations

import datetime as dt
import re

_INSTANT = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2})"
    r"(?:[T ](?P<hour>\d{2})"
    r"(?::(?P<minute>\d{2})(?::(?P<second>\d{2})(?:[.,](?P<fraction>\d+))?)?)?"
    r"(?P<zone>[Zz]|[+-]\d{2}(?::?\d{2})?)?)?"
)


def parse_instant(text: str) -> dt.datetime:
    """A date (midnight) or a date and time, with an optional `Z` or UTC offset.

    The time of day may stop at the hour or the minute; seconds may carry
    a fraction (cut to microseconds). Raises ValueError for anything else
    that this Python's `fromisoformat` does not read either.
    """
    found = _INSTANT.fullmatch(text.strip())
    if found is None:
        return dt.datetime.fromisoformat(text)
    date, hour, minute, second, fraction, zone = found.groups()
    normal = date
    if hour is not None:
        normal += f"T{hour}:{minute or '00'}:{second or '00'}"
        if fraction is not None:
            normal += "." + fraction[:6].ljust(6, "0")
    if zone is not None:
        normal += "+00:00" if zone in "Zz" else _offset(zone)
    return dt.datetime.fromisoformat(normal)


def _offset(zone: str) -> str:
    digits = zone[1:].replace(":", "")
    return f"{zone[0]}{digits[:2]}:{digits[2:4] or '00'}"


# `{date}` and `{datetime}` in a report's file name (`--out`) or link (`report_url`).
PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def stamps(as_of: str) -> dict[str, str]:
    """What each placeholder becomes for a run of `as_of` (ISO 8601 text): `2026-11-23`,
    `2026-11-23T0600`; safe in a file name and in a URL."""
    return {"date": as_of[:10], "datetime": as_of[:16].replace(":", "")}


def unknown_placeholders(text: str) -> list[str]:
    """The placeholders of `text` that `stamps` does not fill."""
    known = stamps("2000-01-01T00:00:00")
    return [name for name in PLACEHOLDER.findall(text) if name not in known]
