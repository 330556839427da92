"""Reading and writing the records of the KPI document: dataclasses to and from JSON.

`read_record` builds a record from its object in a document (a key an older
tagctl did not write reads as None); `plain` turns records into JSON-ready
values, times as ISO 8601 text and floats to six significant digits.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from functools import cache
from typing import TYPE_CHECKING, Any, TypeVar

from tagctl.isotime import parse_instant

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

Record = TypeVar("Record", bound="DataclassInstance")


def iso(moment: dt.datetime) -> str:
    """A time as the document writes it: `2026-11-23T06:00:00`."""
    return moment.isoformat(timespec="seconds")


def read_record(cls: type[Record], data: Mapping[str, Any], **parsed: Any) -> Record:
    """A `cls` from its object in a document: each field from its key, or None where
    the key is missing; `parsed` gives the fields that need more than the value."""
    names = _fields(cls)
    if data.keys() == names:  # as tagctl writes it: the quick way
        return cls(**{**data, **parsed})
    values = {name: data.get(name) for name in names}
    values.update(parsed)
    return cls(**values)


@cache
def _fields(cls: type[DataclassInstance]) -> frozenset[str]:
    return frozenset(item.name for item in dataclasses.fields(cls))


def read_time(text: str | None) -> dt.datetime | None:
    return parse_instant(text) if text else None


def plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    if isinstance(value, dt.datetime):
        return iso(value)
    if isinstance(value, float):
        # Six significant digits (tiny p-values survive), from twelve: engines add in their
        # own order, and a mean that falls on a tie of the sixth digit (724.6025) must
        # round alike whichever last bits the sum left.
        return float(f"{float(f'{value:.12g}'):.6g}")
    return value
