"""Lint results as one JSON document (documented in docs/formats.md)."""

from __future__ import annotations

import json
from typing import Any, TextIO

import tagctl
from tagctl.lint.result import LintResult

SCHEMA_VERSION = 1


def as_document(result: LintResult) -> dict[str, Any]:
    return {
        "version": SCHEMA_VERSION,
        "tool": {"name": "tagctl", "version": tagctl.__version__},
        "catalog": result.catalog_root,
        "summary": {
            "files_checked": result.files_checked,
            "errors": result.errors,
            "warnings": result.warnings,
            "suppressed": result.suppressed,
            "baselined": result.baselined,
        },
        "violations": [v._asdict() for v in result.violations],
    }


def render_json(result: LintResult, stream: TextIO) -> None:
    json.dump(as_document(result), stream, ensure_ascii=False, indent=2)
    stream.write("\n")
