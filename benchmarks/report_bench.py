"""`tagctl report` speed and size for a 10,000-tag catalog, and the page in Chromium.

    python benchmarks/report_bench.py [--tags 10000] [--users 2000] [--runs 3]
                                      [--keep DIR]

Builds a catalog of N tags (the sample catalog plus renamed copies of its
measured tags, as kpi_bench.py does), a small demo warehouse for it (only
the tag count matters here), computes its KPIs once and saves them as three
runs four weeks apart with slightly lower coverage in the older ones, so
that every trend has points. Then measures:

- render: the whole `tagctl report --from-history` process (best of --runs),
  its peak resident memory and the file's size (targets: 5 s, 15 MB);
- publish: the library call that process makes (`tagctl.report.publish`),
  in this process: the render without start-up and imports;
- in headless Chromium (Debian's chromium and chromium-driver): the load
  (navigation start to the load event), the longest frame while loading,
  and the search: from typing to the next painted frame after the filter
  ran (the page waits 120 ms after the last keystroke before filtering),
  for a broad and a narrow query and for clearing the box.

With --keep DIR the catalog and its history are built there once and reused.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from browser import start_chromium, viewport
from kpi_bench import make_catalog
from processes import ROOT, timed_tagctl

sys.path.insert(0, str(ROOT))

if TYPE_CHECKING:
    from selenium.webdriver.chrome.webdriver import WebDriver

    from tagctl.kpi.result import KpiRun

AS_OF = dt.datetime(2026, 11, 23)
RENDER_TARGET, SIZE_TARGET = 5.0, 15 * 2**20
# Types a query into the search box and resolves, on the second animation frame
# after the result count changed (the frame with the filtered list is painted),
# with the milliseconds since typing.
SEARCH = """
var query = arguments[0], done = arguments[arguments.length - 1];
var box = document.getElementById("q"), count = document.getElementById("q-count");
var start = performance.now();
new MutationObserver(function (changes, observer) {
  observer.disconnect();
  requestAnimationFrame(function () {
    requestAnimationFrame(function () { done(performance.now() - start); });
  });
}).observe(count, {childList: true, characterData: true, subtree: true});
box.value = query;
box.dispatchEvent(new Event("input"));
"""
LOADING = """
var nav = performance.getEntriesByType("navigation")[0];
var frames = performance.getEntriesByType("long-animation-frame").map(function (f) {
  return f.duration;
});
return [nav.loadEventEnd, Math.max.apply(null, frames.concat([0]))];
"""


def build(work: Path, tags: int, users: int) -> Path:
    """The catalog with its three saved runs (reused when `work` already holds them)."""
    catalog, built = work / "catalog", work / "catalog.built"
    if built.exists():
        return catalog
    from tagctl.catalog.config import load_config
    from tagctl.catalog.tags import load_tags
    from tagctl.demo import build_demo
    from tagctl.kpi.compute import KpiRequest, compute
    from tagctl.kpi.history import open_history
    from tagctl.kpi.settings import history_settings

    make_catalog(catalog, tags)
    config = load_config(catalog / "tagctl.yaml")
    loaded, _ = load_tags(config)
    warehouse = catalog / ".tagctl" / "demo.duckdb"
    warehouse.parent.mkdir(exist_ok=True)
    start = time.perf_counter()
    build_demo(loaded, warehouse, users=users, as_of=AS_OF)
    run = compute(KpiRequest(config=config, as_of=AS_OF))
    with open_history(history_settings(config).url) as store:
        for weeks_ago, share in ((8, 0.9), (4, 0.95), (0, 1.0)):
            store.save(_earlier(run, AS_OF - dt.timedelta(weeks=weeks_ago), share))
    print(f"built {len(loaded):,} tags, {users:,} users, 3 saved runs in ", end="")
    print(f"{time.perf_counter() - start:.0f} s")
    built.touch()
    return catalog


def _earlier(run: KpiRun, as_of: dt.datetime, share: float) -> KpiRun:
    """`run` as if measured at `as_of`, every tag holding `share` of its users."""
    tags = {
        name: dataclasses.replace(
            kpi,
            holders=None if kpi.holders is None else round(kpi.holders * share),
            coverage=None if kpi.coverage is None else kpi.coverage * share,
        )
        for name, kpi in run.tags.items()
    }
    return dataclasses.replace(run, as_of=as_of, tags=tags)


def render(catalog: Path, out: Path) -> tuple[float, int]:
    """Wall time (s) and peak RSS (KiB) of one whole `tagctl report --from-history` process."""
    run = timed_tagctl("report", "-C", catalog, "--from-history", "--lang", "en", "--out", out)
    return run.seconds, run.peak_kib


def publish_in_process(catalog: Path, out: Path) -> float:
    """Seconds of `publish` from the saved run, as the command calls it, after a warm-up."""
    from tagctl.catalog.config import load_config
    from tagctl.cli.options import collector_paused
    from tagctl.report.publish import publish

    config = load_config(catalog / "tagctl.yaml")
    publish(config, out, lang="en")  # warm-up: the imports and the template
    start = time.perf_counter()
    with collector_paused():
        publish(config, out, lang="en")
    return time.perf_counter() - start


def browse(driver: WebDriver, page: Path, queries: list[str]) -> dict[str, Any]:
    """Load `page`, then time each search (the empty query clears the box)."""
    viewport(driver, 1280, 900)
    driver.get("about:blank")
    start = time.perf_counter()
    driver.get(page.as_uri())
    figures: dict[str, Any] = {"get": time.perf_counter() - start}
    figures["load"], figures["frame"] = driver.execute_script(LOADING)
    driver.execute_script("document.querySelector('nav.tabs a[data-tab=\"tags\"]').click()")
    figures["search"] = [driver.execute_async_script(SEARCH, query) for query in queries]
    figures["shown"] = driver.execute_script(
        "return document.querySelectorAll('.entries > details:not([hidden])').length"
    )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tags", type=int, default=10_000)
    parser.add_argument("--users", type=int, default=2_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="Build here once and reuse (default: temp).")
    args = parser.parse_args()

    work = args.keep or Path(tempfile.mkdtemp(prefix="tagctl-report-bench-"))
    catalog = build(work, args.tags, args.users)
    page = work / "report.html"
    runs = [render(catalog, page) for _ in range(args.runs)]
    elapsed, peak = min(r[0] for r in runs), max(r[1] for r in runs)
    in_process = publish_in_process(catalog, work / "report-in-process.html")
    size = page.stat().st_size
    queries = ["repurchase", "skin_type_c77", ""]
    driver = start_chromium()
    try:
        seen = browse(driver, page, queries)
    finally:
        driver.quit()
    verdict = {True: "ok", False: "MISSED"}
    rows = [
        (f"render (best of {args.runs})", f"{elapsed:.2f} s", verdict[elapsed < RENDER_TARGET]),
        ("file size", f"{size / 2**20:.1f} MB", verdict[size < SIZE_TARGET]),
        ("peak RSS", f"{peak / 1024:.0f} MB", ""),
        ("publish() in process", f"{in_process:.2f} s", ""),
        ("chromium: get()", f"{seen['get']:.2f} s", ""),
        ("chromium: load event", f"{seen['load'] / 1000:.2f} s", ""),
        ("chromium: longest frame", f"{seen['frame'] / 1000:.2f} s", ""),
    ]
    for query, ms in zip(queries, seen["search"], strict=True):
        label = f"search {query.strip()!r}" if query else "search cleared"
        rows.append((label, f"{ms / 1000:.2f} s", ""))
    shown = f"{seen['shown']:,} entries shown after the search is cleared"
    print(f"report of {args.tags:,} tags ({shown})")
    for label, value, mark in rows:
        print(f"  {label:<26}{value:>10}  {mark}")
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
