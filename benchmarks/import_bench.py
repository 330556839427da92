"""`tagctl import` speed and memory on a generated catalog, timed as whole processes.

    python benchmarks/import_bench.py [--tags 10000] [--runs 3]

Generates N tags (the catalog of lint_bench.py), exports them as CSV and as
JSON, and times, for each format:

- import: every row into an empty catalog (N new files);
- again: the same file into the catalog it filled (N rows unchanged,
  nothing written);
- export: `tagctl export` of the same catalog, for scale.

Figures are medians of --runs runs with the largest resident set of any run.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
from pathlib import Path

from lint_bench import generate, median_run
from processes import TAGCTL


def bench(folder: Path, count: int, runs: int) -> dict[str, dict[str, object]]:
    source = folder / "source"
    source.mkdir(parents=True)
    generate(source, count)
    results: dict[str, dict[str, object]] = {}
    for fmt in ("csv", "json"):
        exported = folder / f"tags.{fmt}"
        export = [TAGCTL, "export", "-f", fmt, "--catalog", str(source), "-o", str(exported)]
        results[f"export {fmt}"] = median_run(export, folder, runs)
        target = folder / f"into-{fmt}"

        def empty(target: Path = target) -> None:
            shutil.rmtree(target, ignore_errors=True)
            (target / "tags").mkdir(parents=True)
            shutil.copyfile(source / "tagctl.yaml", target / "tagctl.yaml")

        command = [TAGCTL, "import", str(exported), "--catalog", str(target)]
        results[f"import {fmt}"] = median_run(command, folder, runs, before=empty)
        results[f"again {fmt}"] = median_run(command, folder, runs)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tags", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tagctl-import-bench-") as tmp:
        results = bench(Path(tmp), args.tags, args.runs)
    print(json.dumps({"tags": args.tags, "runs": args.runs, "results": results}, indent=2))
    for name, figures in results.items():
        print(f"{name:12} {figures['seconds']:7.2f} s  {figures['peak_mb']:7.1f} MB")


if __name__ == "__main__":
    main()
