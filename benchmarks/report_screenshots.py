"""The screenshots of the demo report in docs/report.md, taken in headless Chromium.

    python benchmarks/report_screenshots.py [--view executive] [--out docs]

Builds the demo warehouse in a temporary folder, saves two earlier KPI runs
(so the trend charts have history), writes the English and Chinese reports
with the real command line, and saves:

- report-desktop.png: the English report at 1280 px wide, the top 1600 px of
  the chosen view;
- report-phone-zh.png: the Chinese report on a 390 px wide phone, drawn at
  twice the pixel density.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

from browser import screenshot, start_chromium, viewport
from processes import ROOT, timed_tagctl

AS_OF = "2026-11-23"
EARLIER = ("2026-09-28", "2026-10-26")
SHOW = "document.querySelector('nav.tabs a[data-tab=\"' + arguments[0] + '\"]').click()"


def tagctl(*args: str | Path) -> None:
    timed_tagctl(*args)


def build_reports(work: Path) -> tuple[Path, Path]:
    """The English and Chinese demo reports, written in `work`."""
    catalog = work / "catalog"
    shutil.copytree(ROOT / "tag-catalog", catalog, ignore=shutil.ignore_patterns(".tagctl"))
    tagctl("demo", "-C", catalog, "--as-of", AS_OF)
    for moment in EARLIER:
        tagctl("kpi", "-C", catalog, "--as-of", moment, "--save", "--format", "json")
    en, zh = work / "report-en.html", work / "report-zh.html"
    tagctl("report", "-C", catalog, "--as-of", AS_OF, "--save", "--lang", "en", "--out", en)
    tagctl("report", "-C", catalog, "--from-history", "--lang", "zh", "--out", zh)
    return en, zh


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--view", default="executive", help="The desktop shot's tab.")
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="tagctl-shots-"))
    driver = start_chromium()
    try:
        en, zh = build_reports(work)
        viewport(driver, 1280, 900)
        driver.get(en.as_uri())
        driver.execute_script(SHOW, args.view)
        desktop = args.out / "report-desktop.png"
        print(f"{desktop}: {screenshot(driver, desktop, 1280, 1600) / 1024:.0f} KB")
        viewport(driver, 390, 844, scale=2)
        driver.get(zh.as_uri())
        phone = args.out / "report-phone-zh.png"
        print(f"{phone}: {screenshot(driver, phone, 390, 844) / 1024:.0f} KB")
    finally:
        driver.quit()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
