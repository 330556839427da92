"""Lint speed and memory on generated catalogs, timed as whole processes.

    python benchmarks/lint_bench.py [--tags 10000] [--runs 3] [--skip-reference]
                                    [--large 50000]

Generates N realistic tag files (about 37 lines each, Chinese and English
text, comments, dependencies) twice: a clean catalog, and a messy one where
every tag breaks a naming rule and a third also fail the schema (a catalog
on the day a team adopts tagctl). Then times the `tagctl` command end to end
on each:

- cold: no cache (a fresh CI checkout, or after a tagctl upgrade); on the
  messy catalog also with a baseline of all its problems, as CI runs it;
- warm: every file unchanged since the previous run;
- pre-commit: 5 files edited, only those 5 passed on the command line;
- validate: `tagctl validate` (schema only, no cache);
- reference: `check-jsonschema` on the same files, when it is installed.

With --large, a clean catalog of that many tags is timed warm as well, and
its warm run compared with the clean one's (start-up taken off both).

Figures are medians of --runs runs; peak memory is the largest resident set
of any one process of the run (tagctl or one of its workers). The ratios the
speed targets are written in are printed with them.
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


def generate(folder: Path, count: int, seed: int = 7, messy: bool = False) -> list[Path]:
    """`count` tag files in `folder`; with `messy`, every one breaks some rule."""
    rng = random.Random(seed)
    objects = [f"item{i:04d}" for i in range(count // (len(ACTIONS) * len(WINDOWS)) + 1)]
    (folder / "tagctl.yaml").write_text(_config(objects), encoding="utf-8")
    words = [f"{a}_{o}_{w}" for o in objects for a in ACTIONS for w in WINDOWS][:count]
    names = [_broken(name, i) for i, name in enumerate(words)] if messy else words
    paths = []
    for index, name in enumerate(names):
        category = CATEGORIES[index % len(CATEGORIES)]
        depends = rng.sample(names[:index], k=min(index, rng.randint(0, 2)))
        path = folder / "tags" / category / f"{name}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        text = _tag(name, category, index, depends, words[index])
        if messy and index % 3 == 0:  # a third also fail the schema
            text = text.replace("sensitivity: internal", "sensitivity: secret\nownr: x")
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def _broken(name: str, index: int) -> str:
    """`name` made to break one naming rule, a different one in turn (a catalog on adoption day)."""
    action, obj, window = name.split("_")
    return [
        f"{action[:2]}{action[3:]}{action[2]}_{obj}_{window}",  # a typo: not in the vocabulary
        f"{action.title()}{obj.title()}{window.upper()}",  # not snake_case
        f"{action}_{obj}_{window[:-1]}x",  # not a window
        f"{action}_{obj}",  # no window: not the pattern
    ][index % 4]


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


def _tag(name: str, category: str, index: int, depends: list[str], words: str) -> str:
    action, obj, window = words.split("_")
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


def bench_catalog(folder: Path, count: int, messy: bool, args: argparse.Namespace) -> dict:
    """The timings of one generated catalog."""
    paths = generate(folder, count, messy=messy)
    cache = folder / ".tagctl"
    drop_cache = lambda: shutil.rmtree(cache, ignore_errors=True)  # noqa: E731
    lint = [TAGCTL, "lint", "--catalog", str(folder)]
    results: dict = {"tags": count}
    results["cold"] = median_run(lint, folder, args.runs, drop_cache)
    if messy:
        baseline = folder / "baseline.json"
        timed([*lint, "--write-baseline", str(baseline)], folder)
        with_baseline = [*lint, "--baseline", str(baseline)]
        results["cold_with_baseline"] = median_run(with_baseline, folder, args.runs, drop_cache)
    timed(lint, folder)
    results["warm"] = median_run(lint, folder, args.runs)
    edited = paths[:: max(1, len(paths) // 5)][:5]

    def touch_five() -> None:
        for path in edited:
            path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")

    results["precommit_5_files"] = median_run(
        [TAGCTL, "lint", *map(str, edited)], folder, args.runs, touch_five
    )
    results["cold_one_process"] = median_run([*lint, "--jobs", "1"], folder, 1, drop_cache)
    results["validate"] = median_run(
        [TAGCTL, "validate", "--catalog", str(folder)], folder, args.runs
    )
    reference = BIN / "check-jsonschema"
    if not args.skip_reference and reference.exists():
        schema = ROOT / "schemas" / "tag.schema.json"
        results["check_jsonschema"] = median_run(
            [str(reference), "--schemafile", str(schema), *map(str, paths)], folder, 1
        )
    return results


def ratios(results: dict) -> dict[str, float]:
    """The ratios of the speed targets (docs/lint.md, "Why it is fast")."""
    clean, messy = results["clean"], results["messy"]
    found = {"messy_cold_vs_clean_cold": messy["cold"]["seconds"] / clean["cold"]["seconds"]}
    if "check_jsonschema" in messy:
        reference = messy["check_jsonschema"]["seconds"]
        found["messy_cold_vs_check_jsonschema"] = messy["cold"]["seconds"] / reference
        found["clean_cold_vs_check_jsonschema"] = (
            clean["cold"]["seconds"] / clean["check_jsonschema"]["seconds"]
        )
    if "large" in results:
        start = results["startup"]["seconds"]
        found["large_warm_vs_warm_without_startup"] = (
            results["large"]["warm"]["seconds"] - start
        ) / (clean["warm"]["seconds"] - start)
    return {key: round(value, 3) for key, value in found.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tags", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-reference", action="store_true")
    parser.add_argument("--large", type=int, default=0, help="also time a catalog this large")
    args = parser.parse_args()
    results: dict = {}
    with tempfile.TemporaryDirectory(prefix="tagctl-bench-") as tmp:
        results["startup"] = median_run([TAGCTL, "--version"], Path(tmp), args.runs)
        for kind in ("clean", "messy"):
            folder = Path(tmp) / kind
            folder.mkdir()
            results[kind] = bench_catalog(folder, args.tags, kind == "messy", args)
            shutil.rmtree(folder)
        if args.large:
            folder = Path(tmp) / "large"
            folder.mkdir()
            generate(folder, args.large)
            lint = [TAGCTL, "lint", "--catalog", str(folder)]
            timed(lint, folder)
            results["large"] = {"tags": args.large, "warm": median_run(lint, folder, args.runs)}
    results["ratios"] = ratios(results)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    start = time.perf_counter()
    main()
    print(f"benchmark finished in {time.perf_counter() - start:.1f} s", file=sys.stderr)
