"""Input files shaped to break tagctl end in a clean message, never an internal error."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

from clihelpers import describe, no_traceback

Run = Callable[..., subprocess.CompletedProcess[str]]


def test_an_overnested_review_sheet_is_a_usage_error(run_tagctl: Run, sample_catalog: Path) -> None:
    sheet = sample_catalog / "review.yaml"
    nested = "[" * 200 + "]" * 200
    sheet.write_text(f"tags:\n  skin_type:\n    decision: keep\n    x: {nested}\n", "utf-8")
    result = run_tagctl("deprecate", "--from", str(sheet), "--dry-run", cwd=sample_catalog)
    no_traceback(result)
    assert result.returncode == 2, describe(result)
    assert "review.yaml:4:" in result.stderr and "nests deeper" in result.stderr, describe(result)
