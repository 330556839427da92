"""Input files shaped to break tagctl end in a clean message, never an internal error."""

from __future__ import annotations

import json
import shutil
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


def test_a_lint_cache_that_comes_with_a_checkout_is_not_trusted(
    run_tagctl: Run, sample_catalog: Path, tmp_path: Path
) -> None:
    """A pull request can commit `.tagctl/cache/lint.json` whose entries say its bad
    files are clean; the entries are keyed by file contents, which anyone can compute."""
    bad = sample_catalog / "tags" / "behavior" / "visit_product_30d.yaml"
    bad.write_text(bad.read_text(encoding="utf-8").replace("version: ", "version: x", 1), "utf-8")
    first = run_tagctl("lint", "--format", "json", cwd=sample_catalog)
    assert first.returncode == 1, describe(first)
    cache_file = sample_catalog / ".tagctl" / "cache" / "lint.json"
    cache = json.loads(cache_file.read_text(encoding="utf-8"))
    cache["findings"] = [[] for _ in cache["findings"]]  # every file "clean"
    cache_file.write_text(json.dumps(cache), encoding="utf-8")
    (sample_catalog / ".tagctl" / "cache" / "lint.journal").unlink(missing_ok=True)
    checkout = shutil.copytree(sample_catalog, tmp_path / "checkout")  # committed, then cloned
    result = run_tagctl("lint", "--format", "json", cwd=checkout)
    no_traceback(result)
    assert result.returncode == 1, describe(result)
    codes = {v["code"] for v in json.loads(result.stdout)["violations"]}
    assert "TG105" in codes or "TG103" in codes, describe(result)
