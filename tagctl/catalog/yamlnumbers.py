"""Plain scalars and numbers as the YAML 1.2 core schema reads them, within range.

`plain_value` gives the value of a plain scalar: `yes`/`no`/`on`/`off` and
dates stay strings, `010` is ten, `0o17` and `0x1F` are integers. A number
beyond the range of a double (±1.8e308: a 5,000-digit integer, `1e999`),
and `.inf` or `.nan`, raises `OutOfRange`, because every reader of the value
(JSON output, `show`, `export`, KPIs) would fail on it; `out_of_range` says
so. `numbers_as_written` tells whether yaml-rs, the fast parser of
`yamlload`, read the numbers of a text as the core schema does.
"""

from __future__ import annotations

import math
import re
import sys
from typing import Any

import re2

from tagctl.catalog.source import MAX_DEPTH

_CONSTANTS: dict[str, Any] = {
    "": None,
    "~": None,
    "null": None,
    "Null": None,
    "NULL": None,
    "true": True,
    "True": True,
    "TRUE": True,
    "false": False,
    "False": False,
    "FALSE": False,
}
_NUMBER_START = frozenset("-+.0123456789")
_INT = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_SPECIAL_FLOATS = {
    ".inf": math.inf,
    ".Inf": math.inf,
    ".INF": math.inf,
    "+.inf": math.inf,
    "+.Inf": math.inf,
    "+.INF": math.inf,
    "-.inf": -math.inf,
    "-.Inf": -math.inf,
    "-.INF": -math.inf,
    ".nan": math.nan,
    ".NaN": math.nan,
    ".NAN": math.nan,
}


def plain_value(value: str) -> Any:
    """The YAML 1.2 core-schema value of a plain scalar."""
    if value in _CONSTANTS:
        return _CONSTANTS[value]
    if value[0] in _NUMBER_START:
        if _INT.fullmatch(value):
            return int_value(value)
        if _FLOAT.fullmatch(value):
            return float_value(value)
        if value in _SPECIAL_FLOATS:  # no range, bin or threshold can be infinite or NaN
            raise OutOfRange(value)
    return value


MAX_NUMBER = int(sys.float_info.max)  # what a double, hence JSON and every report, holds
_SHORT_NUMBER = 300  # characters: below this, an integer cannot exceed MAX_NUMBER


class OutOfRange(Exception):
    """A number beyond what a double holds, or `.inf`/`.nan`; `value` is its text."""

    def __init__(self, value: str) -> None:
        self.value = value


def int_value(value: str) -> int:
    """An integer as written (`12`, `-3`, `0o17`, `0x1F`); OutOfRange beyond a double."""
    text = value.strip()
    if text.startswith(("0o", "0x")):
        number = int(text[2:], 8 if text[1] == "o" else 16)
    elif len(text) > sys.get_int_max_str_digits() > 0:  # Python refuses to convert it
        raise OutOfRange(value)
    else:
        number = int(text, 10)
    if len(text) > _SHORT_NUMBER and not -MAX_NUMBER <= number <= MAX_NUMBER:
        raise OutOfRange(value)
    return number


def float_value(value: str) -> float:
    """A float as written; OutOfRange when it is infinite."""
    number = float(value)
    if math.isinf(number):  # a finite spelling too large for a double, such as 1e999
        raise OutOfRange(value)
    return number


def out_of_range(value: str) -> str:
    """The message for a number that no reader of the catalog can hold."""
    shown = f"'{value}'" if len(value) <= 32 else f"a number of {len(value):,} characters"
    return f"{shown} is out of range: numbers must be finite, within ±1.8e308"


# Values that yaml-rs reads as numbers but the core schema keeps as text
# (`1_000`, `0X1F`, `0b101`). A plain token that could be one is made of
# number characters with an underscore, or has a 0X/0b prefix. RE2 tells in
# one linear pass (a few microseconds) whether the text has any; only then
# are the tokens taken one by one and `_ODD_NUMBER` decides (a token without
# a digit, such as the `_` of `{action}_{object}`, is not a number).
_ODD_NUMBER = re.compile(r"[-+]?(?:[0-9_]+(?:\.[0-9_]*)?(?:[eE][-+]?[0-9_]+)?|0[Xb][0-9A-Fa-f_]+)")
_DELIMITER = r"[ \t\r\n\[\]{},:#'\"]"
_TOKEN = r"([-+0-9_.eE]*_[-+0-9_.eE]*|[-+]?0[Xb][0-9A-Fa-f_]*)"
_ANY_CANDIDATE = re2.compile(f"(?:^|{_DELIMITER}){_TOKEN}(?:{_DELIMITER}|$)")
_CANDIDATES = re.compile(f"(?:^|{_DELIMITER}){_TOKEN}(?=$|{_DELIMITER})")


def _odd_number(text: str) -> bool:
    if _ANY_CANDIDATE.search(text) is None:
        return False
    tokens = (m.group(1) for m in _CANDIDATES.finditer(text))
    return any(_ODD_NUMBER.fullmatch(t) and any(c.isdigit() for c in t) for t in tokens)


def numbers_as_written(data: dict[Any, Any], text: str) -> bool:
    """Keys are strings, nesting is in bounds, numbers are finite and none was written oddly.

    yaml-rs also reads `1_000`, `0X1F` and `0b101` as numbers, which the core
    schema keeps as strings: a file with numbers in it and such a spelling
    goes to the reference path. A list as a key (a complex key) and nesting
    beyond the limit (yaml-rs has none) do too.
    """
    has_numbers = False
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        container, depth = stack.pop()
        if depth > MAX_DEPTH:
            return False
        if type(container) is dict:
            for key in container:
                if type(key) is not str:
                    return False
            values = container.values()
        else:
            values = container
        for value in values:
            kind = type(value)
            if kind is dict or kind is list:
                stack.append((value, depth + 1))
            elif kind is int:
                has_numbers = True
                if not -MAX_NUMBER <= value <= MAX_NUMBER:
                    return False  # out of range: the reference path says where
            elif kind is float:
                has_numbers = True
                if value - value != 0:  # inf or nan: 1e999 or .inf; the reference path decides
                    return False
    return not (has_numbers and _odd_number(text))
