"""The report in a real browser: Debian's headless Chromium, driven by selenium.

A session fixture builds a small demo warehouse once and writes the English,
Chinese and hostile-catalog reports with the real command line. Each test
opens a report from its file:// URL and checks what a person would see: it
loads with no console error, CSP violation or network request; tabs, sorting,
search and `#tag-NAME` links work; catalog text shows as text and runs
nothing; with JavaScript off every section is readable; Chinese renders.

The tests skip when chromium, chromedriver or selenium is missing; `.ci/run`
installs Debian's chromium, chromium-driver and fonts-noto-cjk.
"""

from __future__ import annotations

import json
import re
import shutil
import struct
import subprocess
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.clihelpers import describe
from tests.conftest import copy_catalog, run_tagctl

if TYPE_CHECKING:
    from selenium.webdriver.chrome.webdriver import WebDriver

AS_OF = "2026-11-23"
EARLIER = "2026-10-26"
DEBIAN = {"chromium": Path("/usr/bin/chromium"), "chromedriver": Path("/usr/bin/chromedriver")}
TABS = ("admin", "operator", "executive", "cleanup", "tags")
TIMEOUT = 30  # seconds: a guard against a hung page, not a measure of speed
# One worker builds the demo reports and drives one browser for every test here.
pytestmark = pytest.mark.xdist_group("browser")

# Runs before the page's own script (CDP scripts are exempt from the page's CSP):
# records every CSP violation where the tests can read it.
WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__violations.push(event.violatedDirective + " " + event.blockedURI);
});
"""
# Waits for two animation frames: the scroll to the URL's fragment has happened.
SETTLE = """
var done = arguments[arguments.length - 1];
requestAnimationFrame(function () { requestAnimationFrame(function () { done(); }); });
"""
XSS_DESCRIPTION = '<script>window.__xss=1</script> <img src=x onerror="window.__xss=2"> end'
XSS_LABEL = "<b>Bold</b> skin type"
CJK = re.compile(r"[\u4e00-\u9fff]")


def _executable(name: str) -> str | None:
    path = DEBIAN[name]
    return str(path) if path.is_file() else shutil.which(name)


@dataclass(frozen=True)
class Reports:
    """The reports the tests open, and the number of tags each one's catalog holds."""

    en: Path
    zh: Path
    xss: Path
    tags: int


@dataclass(frozen=True)
class Visit:
    """What one page load left in the browser's logs."""

    console: list[dict[str, Any]]
    requests: list[str]


def _build(catalog: Path, *commands: tuple[str | Path, ...]) -> None:
    for command in commands:
        result = run_tagctl(*command, cwd=catalog)
        assert result.returncode == 0, describe(result)


@pytest.fixture(scope="session")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Reports:
    """Demo reports (2,000 users, two saved runs for trends), built once per session."""
    work = tmp_path_factory.mktemp("browser")
    demo = copy_catalog(work / "catalog")
    en, zh = work / "report-en.html", work / "report-zh.html"
    _build(
        demo,
        ("demo", "-C", demo, "--users", "2000", "--as-of", AS_OF),
        ("kpi", "-C", demo, "--as-of", EARLIER, "--save", "--format", "json"),
        ("report", "-C", demo, "--as-of", AS_OF, "--save", "--lang", "en", "--out", en),
        ("report", "-C", demo, "--from-history", "--lang", "zh", "--out", zh),
    )
    hostile = copy_catalog(work / "hostile")
    skin = next(hostile.rglob("skin_type.yaml"))
    text = skin.read_text(encoding="utf-8")
    folded = re.compile(r"^description: >-\n(  .*\n)+", re.M)
    text = folded.sub(f"description: '{XSS_DESCRIPTION}'\n", text, count=1)
    text = text.replace("  en: Skin type\n", f"  en: {XSS_LABEL}\n", 1)
    assert XSS_DESCRIPTION in text and XSS_LABEL in text
    skin.write_text(text, encoding="utf-8")
    xss = work / "report-xss.html"
    shutil.copytree(
        demo / ".tagctl", hostile / ".tagctl", ignore=shutil.ignore_patterns("*.duckdb")
    )
    _build(hostile, ("report", "-C", hostile, "--from-history", "--lang", "en", "--out", xss))
    tags = len(list((demo / "tags").rglob("*.yaml")))
    return Reports(en=en, zh=zh, xss=xss, tags=tags)


def _start(javascript: bool) -> WebDriver:
    chromium, chromedriver = _executable("chromium"), _executable("chromedriver")
    if chromium is None or chromedriver is None:
        pytest.skip("needs Debian's chromium and chromium-driver (apt-get install them)")
    pytest.importorskip("selenium", reason="needs selenium (the dev extra)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-extensions",
        "--no-first-run",
        "--hide-scrollbars",
        "--lang=en-US",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    if not javascript:
        options.add_experimental_option(
            "prefs", {"profile.managed_default_content_settings.javascript": 2}
        )
    driver = webdriver.Chrome(options=options, service=Service(executable_path=chromedriver))
    driver.set_page_load_timeout(TIMEOUT)
    driver.set_script_timeout(TIMEOUT)
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": WATCH})
    return driver


@pytest.fixture(scope="session")
def chromium() -> Iterator[WebDriver]:
    """One headless Chromium for the session's tests with JavaScript on."""
    driver = _start(javascript=True)
    yield driver
    driver.quit()


@pytest.fixture
def browser(chromium: WebDriver) -> WebDriver:
    """The session's Chromium at a desktop size, its logs emptied."""
    _viewport(chromium, 1280, 900)
    _flush(chromium)
    return chromium


@pytest.fixture(scope="session")
def chromium_without_js() -> Iterator[WebDriver]:
    """A headless Chromium with JavaScript disabled."""
    driver = _start(javascript=False)
    yield driver
    driver.quit()


def _viewport(driver: WebDriver, width: int, height: int) -> None:
    metrics = {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600}
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)


def _log(driver: WebDriver, kind: str) -> list[dict[str, Any]]:
    """The entries of log `kind` since it was last read."""
    entries: list[dict[str, Any]] = driver.get_log(kind)  # type: ignore[no-untyped-call]
    return entries


def _flush(driver: WebDriver) -> None:
    _log(driver, "browser")
    _log(driver, "performance")


def _open(driver: WebDriver, report: Path, fragment: str = "", settle: bool = True) -> Visit:
    """Load `report` and wait for it (and, if `settle`, two frames), with what it logged."""
    driver.get("about:blank")  # a new document even when only the fragment differs
    _flush(driver)
    driver.get(report.as_uri() + fragment)
    _wait(driver, lambda d: d.execute_script("return document.readyState") == "complete")
    if settle:  # animation frames never come to a page whose scripts are disabled
        driver.execute_async_script(SETTLE)
    requests = []
    for entry in _log(driver, "performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            requests.append(message["params"]["request"]["url"])
        elif message["method"] == "Network.webSocketCreated":
            requests.append(message["params"]["url"])
    return Visit(console=_log(driver, "browser"), requests=requests)


def _wait(driver: WebDriver, condition: Callable[[Any], Any]) -> Any:
    from selenium.webdriver.support.wait import WebDriverWait

    return WebDriverWait(driver, TIMEOUT, poll_frequency=0.05).until(condition)


def _assert_clean(driver: WebDriver, visit: Visit, report: Path) -> None:
    severe = [entry for entry in visit.console if entry["level"] == "SEVERE"]
    assert severe == []
    assert driver.execute_script("return window.__violations") == []
    assert {url.split("#")[0] for url in visit.requests} <= {report.as_uri()}
    resources = driver.execute_script("return performance.getEntriesByType('resource').length")
    assert resources == 0


def _png_size(data: bytes) -> tuple[int, int]:
    """Width and height of a PNG whose pixels are not all alike (fails otherwise)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    chunks, at = [], 8
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        if data[at + 4 : at + 8] == b"IDAT":
            chunks.append(data[at + 8 : at + 8 + length])
        at += length + 12
    pixels = zlib.decompress(b"".join(chunks))
    assert len(set(pixels)) > 32, "the screenshot is blank"
    return width, height


def _visible(driver: WebDriver, selector: str) -> list[bool]:
    return list(
        driver.execute_script(
            "return Array.from(document.querySelectorAll(arguments[0]))"
            ".map(function (e) { return e.getClientRects().length > 0; })",
            selector,
        )
    )


def test_report_loads_offline_without_errors(browser: WebDriver, reports: Reports) -> None:
    visit = _open(browser, reports.en)
    _assert_clean(browser, visit, reports.en)
    assert visit.requests, "the performance log recorded no request at all"
    assert browser.execute_script("return document.documentElement.classList.contains('js')")
    assert browser.execute_script("return document.scripts.length") == 1


@pytest.mark.parametrize(("width", "height"), [(1280, 900), (390, 844)], ids=["desktop", "phone"])
def test_screenshot_at_width(browser: WebDriver, reports: Reports, width: int, height: int) -> None:
    _viewport(browser, width, height)
    visit = _open(browser, reports.en)
    _assert_clean(browser, visit, reports.en)
    shot = browser.get_screenshot_as_png()
    assert _png_size(shot) == (width, height)
    assert len(shot) > 20_000
    overflow = browser.execute_script(
        "var e = document.documentElement; return e.scrollWidth - e.clientWidth"
    )
    assert overflow <= 1, "the page scrolls sideways"


def test_each_tab_shows_exactly_its_section(browser: WebDriver, reports: Reports) -> None:
    _open(browser, reports.en)
    links = browser.find_elements("css selector", "nav.tabs a[data-tab]")
    assert [link.get_attribute("data-tab") for link in links] == list(TABS)
    for link in links:
        tab = link.get_attribute("data-tab")
        link.click()
        shown = [
            s.get_attribute("id")
            for s in browser.find_elements("css selector", "section.tab")
            if s.is_displayed()
        ]
        assert shown == [f"tab-{tab}"]
        assert link.get_attribute("aria-selected") == "true"
        assert browser.execute_script("return location.hash") == f"#tab-{tab}"


def _number(text: str) -> float | None:
    match = re.match(r"\s*-?\d+(\.\d+)?([eE][-+]?\d+)?\s*$", text)
    return float(text) if match else None


def test_numeric_cells_sort_as_numbers(browser: WebDriver, reports: Reports) -> None:
    _open(browser, reports.en)
    values = browser.execute_script(
        "return Array.from(document.querySelectorAll('table.data td.n')).map(function (c) {"
        " return c.hasAttribute('data-v') ? c.getAttribute('data-v') : c.textContent; })"
    )
    assert values
    assert [v for v in values if _number(v) is None and v.strip() not in ("", "–", "—")] == []


def test_sorting_a_numeric_column_orders_rows(browser: WebDriver, reports: Reports) -> None:
    _open(browser, reports.en, "#tab-tags")
    headers = browser.find_elements("css selector", ".list .head button")
    index = next(
        i for i, b in enumerate(headers) if "n" in (b.get_attribute("class") or "").split()
    )
    before = _list_column(browser, index)
    for order, reverse in (("descending", True), ("ascending", False)):
        headers[index].click()
        assert headers[index].get_attribute("aria-sort") == order
        values = _list_column(browser, index)
        assert sorted(values) == sorted(before)
        numbers = [n for n in map(_number, values) if n is not None]
        assert len(numbers) > 5
        assert numbers == sorted(numbers, reverse=reverse)


def _list_column(browser: WebDriver, index: int) -> list[str]:
    """The sort values of column `index` of the catalog list, in page order."""
    return list(
        browser.execute_script(
            "var i = arguments[0];"
            "return Array.from(document.querySelectorAll('.entries > details'))"
            ".map(function (e) { var c = e.firstElementChild.children[i];"
            " return c.hasAttribute('data-v') ? c.getAttribute('data-v') : c.textContent; })",
            index,
        )
    )


@pytest.mark.parametrize("query", ["肤质", "复购", "repurchase"])
def test_search_filters_rows_and_entries(browser: WebDriver, reports: Reports, query: str) -> None:
    from selenium.webdriver.common.keys import Keys

    _open(browser, reports.en, "#tab-tags")
    box = browser.find_element("css selector", "input#q")
    assert box.is_displayed()
    count = browser.find_element("css selector", "#q-count")
    box.send_keys(query)
    _wait(browser, lambda d: count.text != "")
    rows = browser.execute_script(
        "return Array.from(document.querySelectorAll('.entries > details'))"
        ".map(function (e) { return [e.id, e.textContent, e.hidden,"
        " e.getClientRects().length > 0]; })"
    )
    for name, text, hidden, visible in rows:
        assert hidden == (query not in text.lower()), name
        assert visible == (not hidden), name
    shown = sum(1 for _, _, hidden, _ in rows if not hidden)
    assert 0 < shown < reports.tags
    assert count.text == f"{shown} of {reports.tags} shown"
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys(Keys.BACKSPACE)
    _wait(browser, lambda d: count.text == "")
    assert all(_visible(browser, ".entries > details"))


def test_fragment_opens_the_tag_entry(browser: WebDriver, reports: Reports) -> None:
    _open(browser, reports.en, "#tag-skin_type")
    entry = browser.find_element("css selector", "details#tag-skin_type")
    assert entry.get_attribute("open") is not None
    assert entry.is_displayed()
    assert _visible(browser, "section.tab") == [tab == "tags" for tab in TABS]
    top = browser.execute_script("return arguments[0].getBoundingClientRect().top", entry)
    assert -2 <= top < 900, "the entry is not scrolled into view"


def test_opened_entry_is_not_under_the_tab_bar(browser: WebDriver, reports: Reports) -> None:
    _viewport(browser, 390, 844)  # on a phone the tabs wrap: the bar is two rows high
    _open(browser, reports.en, "#tag-skin_type")
    covered = browser.execute_script(
        "var r = document.querySelector('#tag-skin_type summary').getBoundingClientRect();"
        "var hit = document.elementFromPoint(r.left + 20, r.top + r.height / 2);"
        "return hit === null || hit.closest('nav.tabs') !== null"
    )
    assert not covered


def test_link_to_a_tag_opens_its_entry(browser: WebDriver, reports: Reports) -> None:
    _open(browser, reports.en)
    link = browser.find_element("css selector", "#tab-admin a[href^='#tag-']")
    name = link.get_dom_attribute("href").removeprefix("#tag-")
    link.click()
    entry = browser.find_element("css selector", f"details#tag-{name}")
    _wait(browser, lambda d: entry.get_attribute("open") is not None)
    assert entry.is_displayed()
    assert browser.find_element("css selector", "#tab-tags").is_displayed()


def test_catalog_text_shows_as_text_and_runs_nothing(browser: WebDriver, reports: Reports) -> None:
    visit = _open(browser, reports.xss, "#tag-skin_type")
    _assert_clean(browser, visit, reports.xss)
    assert browser.execute_script("return typeof window.__xss") == "undefined"
    assert browser.execute_script("return document.images.length") == 0
    assert browser.execute_script("return document.scripts.length") == 1
    entry = browser.find_element("css selector", "details#tag-skin_type")
    assert XSS_DESCRIPTION in entry.text
    assert XSS_LABEL in entry.find_element("css selector", "summary").text
    assert (
        entry.find_elements("css selector", "summary b, summary ~ div > p:not(.kv) b, img, script")
        == []
    )
    assert "<script>" in browser.find_element("tag name", "body").text


def test_readable_without_javascript(chromium_without_js: WebDriver, reports: Reports) -> None:
    driver = chromium_without_js
    _viewport(driver, 1280, 900)
    visit = _open(driver, reports.en, settle=False)
    assert [entry for entry in visit.console if entry["level"] == "SEVERE"] == []
    assert not driver.execute_script("return document.documentElement.classList.contains('js')")
    assert _visible(driver, "section.tab") == [True] * len(TABS)
    hidden = driver.execute_script(
        "return Array.from(document.querySelectorAll('body [hidden]')).map(function (e) {"
        " return e.className; })"
    )
    assert hidden == ["search"], "only the search box (it needs JavaScript) may be hidden"
    assert len(driver.find_elements("css selector", "details.tag[id^='tag-']")) == reports.tags
    _png_size(driver.get_screenshot_as_png())


def test_chinese_report_renders(browser: WebDriver, reports: Reports) -> None:
    _viewport(browser, 390, 844)
    visit = _open(browser, reports.zh)
    _assert_clean(browser, visit, reports.zh)
    assert browser.find_element("tag name", "html").get_attribute("lang") == "zh-CN"
    assert CJK.search(browser.find_element("tag name", "h1").text)
    tabs = [a.text for a in browser.find_elements("css selector", "nav.tabs a")]
    assert len(tabs) == len(TABS) and all(CJK.search(text) for text in tabs)
    assert _png_size(browser.get_screenshot_as_png()) == (390, 844)


def _has_cjk_font() -> bool:
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return False
    listed = subprocess.run([fc_list, ":lang=zh"], capture_output=True, text=True, check=False)
    return bool(listed.stdout.strip())


# Draws each character alone with the heading's font; a character no font has
# is drawn as the same empty box (tofu) as an unassigned code point.
GLYPHS = """
var font = getComputedStyle(document.querySelector("h1")).fontFamily;
return arguments[0].map(function (ch) {
  var canvas = document.createElement("canvas");
  canvas.width = 48; canvas.height = 48;
  var pen = canvas.getContext("2d");
  pen.font = "40px " + font; pen.textBaseline = "top"; pen.fillText(ch, 4, 4);
  return Array.prototype.join.call(pen.getImageData(0, 0, 48, 48).data);
});
"""


def test_chinese_headings_are_not_tofu(browser: WebDriver, reports: Reports) -> None:
    if not _has_cjk_font():
        pytest.skip("no Chinese font installed (apt-get install fonts-noto-cjk)")
    _open(browser, reports.zh)
    heading = browser.find_element("tag name", "h1").text
    chars = list(dict.fromkeys(CJK.findall(heading)))[:3]
    assert len(chars) >= 2
    drawn = browser.execute_script(GLYPHS, [*chars, "\u0378"])
    *glyphs, tofu = drawn
    assert len(set(glyphs)) == len(glyphs), "different characters drew the same box"
    assert tofu not in glyphs
