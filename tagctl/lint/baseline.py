"""Baselines: accept today's problems, fail only on new ones.

`--write-baseline FILE` records every current violation by (file, code,
JSON path, message), without line numbers, so that edits elsewhere in a file
do not bring old problems back. `--baseline FILE` drops the violations the
baseline holds, as many times as it holds them.

A message may say how long ago a date passed ("sunset 2026-11-01 has passed
(37 days ago)"). That count grows every day while the problem stays the same,
so messages are compared without it, in the file and in the run alike: a
baseline written yesterday still holds today's problem.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

from tagctl.errors import UsageError
from tagctl.fsutil import output_writer
from tagctl.lint.result import Violation

Fingerprint = tuple[str, str, str, str]
VERSION = 1
_AGO = re.compile(r" ?\(\d+ days? ago\)")


def fingerprint(violation: Violation) -> Fingerprint:
    path = violation.rel or violation.path
    return (path, violation.code, violation.json_path, _lasting(violation.message))


def _lasting(message: str) -> str:
    """The message without what changes with the date alone."""
    return _AGO.sub("", message) if "ago)" in message else message


def write_baseline(path: Path, violations: list[Violation]) -> None:
    entries = [
        {"path": p, "code": c, "json_path": j, "message": m}
        for p, c, j, m in sorted(fingerprint(v) for v in violations)
    ]
    document = {"version": VERSION, "tool": "tagctl", "violations": entries}
    with output_writer(path) as stream:
        stream.write(json.dumps(document, ensure_ascii=False, indent=1) + "\n")


def read_baseline(path: Path) -> Counter[Fingerprint]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        entries = document["violations"]
        return Counter(
            (e["path"], e["code"], e.get("json_path", ""), _lasting(e["message"])) for e in entries
        )
    except OSError as exc:
        raise UsageError(f"cannot read the baseline: {exc.strerror}", path=path) from exc
    except (ValueError, KeyError, TypeError) as exc:
        raise UsageError("not a tagctl baseline file", path=path) from exc


def apply_baseline(
    violations: list[Violation], known: Counter[Fingerprint]
) -> tuple[list[Violation], int]:
    """The violations not in the baseline, and how many were dropped."""
    remaining = Counter(known)
    kept: list[Violation] = []
    for violation in violations:
        key = fingerprint(violation)
        if remaining[key] > 0:
            remaining[key] -= 1
        else:
            kept.append(violation)
    return kept, len(violations) - len(kept)
