"""Baselines: accept today's problems, fail only on new ones.

`--write-baseline FILE` records every current violation by (file, code,
JSON path, message), without line numbers, so that edits elsewhere in a file
do not bring old problems back. `--baseline FILE` drops the violations the
baseline holds, as many times as it holds them.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from tagctl.errors import UsageError
from tagctl.fsutil import output_writer
from tagctl.lint.result import Violation

Fingerprint = tuple[str, str, str, str]
VERSION = 1


def fingerprint(violation: Violation) -> Fingerprint:
    return (violation.rel or violation.path, violation.code, violation.json_path, violation.message)


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
            (e["path"], e["code"], e.get("json_path", ""), e["message"]) for e in entries
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
