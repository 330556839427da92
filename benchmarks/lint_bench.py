"""Lint speed and memory on a generated catalog, timed as whole processes.

    python benchmarks/lint_bench.py [--tags 10000] [--runs 3] [--skip-reference]

Generates N realistic tag files (about 37 lines each, Chinese and English
text, comments, dependencies), then times the `tagctl` command end to end:

- cold: no cache (first run on a machine, or after a tagctl upgrade);
- warm: every file unchanged since the previous run;
- pre-commit: 5 files edited, only those 5 passed on the command line;
- validate: `tagctl validate` (schema only, no cache);
- reference: `check-jsonschema` on the same files, when it is installed.

Figures are medians of --runs runs; peak memory is the largest resident set
of any one process of the run (tagctl or one of its workers).
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from processes import ROOT, TAGCTL, timed

BIN = Path(sys.executable).parent
ACTIONS = ["visit", "view", "click", "purchase", "consult", "book", "redeem", "share"]
WINDOWS = ["7d", "30d", "90d", "1y"]
CATEGORIES = [
    "profile",
    "behavior",
    "transaction",
    "preference",
    "medical",
    "lifecycle",
    "prediction",
    "strategy",
]


def generate(folder: Path, count: int, seed: int = 7) -> list[Path]:
    rng = random.Random(seed)
    objects = [f"item{i:04d}" for i in range(count // (len(ACTIONS) * len(WINDOWS)) + 1)]
    (folder / "tagctl.yaml").write_text(_config(objects), encoding="utf-8")
    names = [f"{a}_{o}_{w}" for o in objects for a in ACTIONS for w in WINDOWS][:count]
    paths = []
    for index, name in enumerate(names):
        category = CATEGORIES[index % len(CATEGORIES)]
        depends = rng.sample(names[:index], k=min(index, rng.randint(0, 2)))
        path = folder / "tags" / category / f"{name}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_tag(name, category, index, depends), encoding="utf-8")
        paths.append(path)
    return paths


def _config(objects: list[str]) -> str:
    labels = "\n".join(
        f"  {c}: {{zh: 类别{i}, en: Category {i}}}" for i, c in enumerate(CATEGORIES)
    )
    return (
        "categories:\n" + labels + "\n"
        "naming:\n  vocabularies:\n"
        f"    actions: [{', '.join(ACTIONS)}]\n"
        f"    objects: [{', '.join(objects)}]\n"
        f"    windows: [{', '.join(WINDOWS)}]\n"
    )


def _tag(name: str, category: str, index: int, depends: list[str]) -> str:
    action, obj, window = name.split("_")
    deps = f"depends_on: [{', '.join(depends)}]\n" if depends else ""
    return f"""# Generated for the lint benchmark; edit freely.
name: {name}
version: 1.{index % 7}.0
display_name:
  zh: 近{window}内{action}商品{obj}的用户
  en: Users who did {action} on {obj} in the last {window}
description: >-
  近{window}内至少一次{action}了{obj}的用户，用于再营销与人群圈选。
  Customers with at least one {action} event on {obj} in the last
  {window}; used for retargeting audiences (#{index}).
type: rule
category: {category}
status: online
value_type: boolean
window: {window}
refresh: daily
tier: {"core" if index % 50 == 0 else "standard"}
sensitivity: internal
owners:
  business: owner{index % 40}@example.com   # the marketing owner
  data: data{index % 12}@example.com
source:
  system: cdp
  tables: [dwd.app_events]
logic: |
  SELECT user_id, true AS tag_value
  FROM dwd.app_events
  WHERE event_name = '{action}' AND object_id = '{obj}'
    AND event_time >= current_date - INTERVAL '{window}'
  GROUP BY user_id
{deps}quality:
  min_coverage: 0.001
changelog:
  - {{version: 1.0.0, date: 2025-03-02, change: First definition.}}
  - {{version: 1.{index % 7}.0, date: 2026-10-01, change: Include mini-program events.}}
"""


def median_run(command: list[str], cwd: Path, runs: int, before=None) -> dict[str, float]:
    times, peaks, codes = [], [], set()
    for _ in range(runs):
        if before:
            before()
        run = timed(command, cwd)
        times.append(run.seconds)
        peaks.append(run.peak_kib)
        codes.add(run.code)
    return {
        "seconds": round(statistics.median(times), 3),
        "peak_mb": round(max(peaks) / 1024, 1),
        "exit_codes": sorted(codes),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tags", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-reference", action="store_true")
    args = parser.parse_args()
    tagctl = TAGCTL
    with tempfile.TemporaryDirectory(prefix="tagctl-bench-") as tmp:
        folder = Path(tmp)
        paths = generate(folder, args.tags)
        cache = folder / ".tagctl"
        drop_cache = lambda: shutil.rmtree(cache, ignore_errors=True)  # noqa: E731
        lint = [tagctl, "lint", "--catalog", str(folder)]
        results = {"tags": args.tags}
        results["cold"] = median_run(lint, folder, args.runs, drop_cache)
        timed(lint, folder)
        results["warm"] = median_run(lint, folder, args.runs)
        edited = paths[:: max(1, len(paths) // 5)][:5]

        def touch_five() -> None:
            for path in edited:
                path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")

        results["precommit_5_files"] = median_run(
            [tagctl, "lint", *map(str, edited)], folder, args.runs, touch_five
        )
        results["cold_one_process"] = median_run([*lint, "--jobs", "1"], folder, 1, drop_cache)
        results["validate"] = median_run(
            [tagctl, "validate", "--catalog", str(folder)], folder, args.runs
        )
        reference = BIN / "check-jsonschema"
        if not args.skip_reference and reference.exists():
            schema = ROOT / "schemas" / "tag.schema.json"
            results["check_jsonschema"] = median_run(
                [str(reference), "--schemafile", str(schema), *map(str, paths)], folder, 1
            )
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    start = time.perf_counter()
    main()
    print(f"benchmark finished in {time.perf_counter() - start:.1f} s", file=sys.stderr)
