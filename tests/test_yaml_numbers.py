"""The fast reader (yaml-rs) gives what the reference reader (libyaml) gives.

yaml-rs reads `1_000`, `0X1F` and `0b101` as numbers where the YAML 1.2 core
schema keeps text; `numbers_as_written` must send every such text to the
reference path, and may keep the fast path for the rest.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tagctl.catalog.libyaml import parse_text
from tagctl.catalog.source import Source
from tagctl.catalog.yamlload import parse
from tagctl.catalog.yamlnumbers import _odd_number

SPELLINGS = [
    "1_000", "-1_000", "+1_0", "1_0.5", "1.5_0", "1e1_0", "0X1F", "-0X1F", "0b101",
    "0x1F", "0o17", "010", "1.5e3", "-2", "12", "_", "__", "_1", "1_", "e_e",
    "item0000_30d", "visit_product_30d", "'1_000'", '"0X1F"',
]  # fmt: skip


def _read(text: str, fast: bool) -> object:
    source = Source(Path("t.yaml"), raw=text.encode())
    if fast:
        parse(source)
    else:
        source.text = text
        parse_text(source)
    return source.data


@pytest.mark.parametrize("spelling", SPELLINGS)
@pytest.mark.parametrize(
    "layout",
    ["n: 7\nvalue: {s}\n", "n: 7\nitems: [{s}, 2]\n", "n: 7\nm: {{k: {s}}}\n", "n: 7\n- {s}\n"],
    ids=["value", "flow list", "flow map", "not a mapping"],
)
def test_the_fast_reader_agrees_with_the_reference(layout: str, spelling: str) -> None:
    text = layout.format(s=spelling)
    assert _read(text, fast=True) == _read(text, fast=False)


def test_an_underscore_between_words_is_no_odd_number() -> None:
    assert not _odd_number("pattern: '^{action}_{object}_{window}$'\nn: 3\n")
    assert not _odd_number("name: visit_product_30d\nn: 3\n")
    assert _odd_number("n: 1_000\n") and _odd_number("v: [0X1F]\n")
