"""One harness for golden files: a tag file before and after an edit, compared byte for byte.

`<folder>/<case>.before.yaml` is a tag written in one style (flow or block,
2 or 4 spaces, comments, quoting, CRLF, a byte order mark, no final
newline...); the `.after.yaml` next to it is the exact text the edit must
produce. Used by the lifecycle edits (tests/edit) and the lint fixes
(tests/fix). Run with UPDATE_GOLDEN=1 to rewrite the after files, then
read the diff before committing it.
"""

from __future__ import annotations

import os
from pathlib import Path

from tagctl.catalog.schema import Checker
from tagctl.edit.scalars import load_text


def cases(folder: Path) -> list[str]:
    """The names of the cases in `folder`: the before files without `.before.yaml`."""
    return sorted(path.name.removesuffix(".before.yaml") for path in folder.glob("*.before.yaml"))


def read(path: Path) -> str:
    return path.read_bytes().decode("utf-8")


def text_before(folder: Path, case: str) -> str:
    return read(folder / f"{case}.before.yaml")


def text_after(folder: Path, case: str) -> str:
    return read(folder / f"{case}.after.yaml")


def assert_matches(folder: Path, case: str, produced: str) -> None:
    """`produced` is the case's after file, byte for byte (rewritten with UPDATE_GOLDEN=1)."""
    expected = folder / f"{case}.after.yaml"
    if os.environ.get("UPDATE_GOLDEN"):
        expected.write_bytes(produced.encode("utf-8"))
    assert produced == read(expected)


def assert_valid_tag(folder: Path, case: str) -> None:
    """The after file is a tag the JSON Schema accepts."""
    assert Checker("tag").errors(load_text(text_after(folder, case))) == []


def assert_layout_kept(folder: Path, case: str) -> None:
    """The after file keeps the before file's byte order mark, line endings and final newline."""
    old, new = text_before(folder, case), text_after(folder, case)
    assert new.startswith("\ufeff") == old.startswith("\ufeff")
    assert new.endswith("\n") == old.endswith("\n")
    crlf = "\r\n" in old
    assert new.count("\n") == (new.count("\r\n") if crlf else new.count("\n"))
    assert ("\r" in new) == crlf
