"""Headless Chromium (Debian's chromium and chromium-driver) for the report scripts here.

The tests have their own fixtures (tests/report/test_browser.py); these
helpers exit with a message instead of skipping.
"""

from __future__ import annotations

import base64
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from selenium.webdriver.chrome.webdriver import WebDriver

FLAGS = (
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
)


def _executable(path: str) -> str:
    found = path if Path(path).is_file() else shutil.which(Path(path).name)
    if found is None:
        raise SystemExit(f"needs {path}: apt-get install chromium chromium-driver")
    return found


def start_chromium(timeout: float = 120) -> WebDriver:
    """A headless Chromium; pages that take longer than `timeout` seconds to load fail."""
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        raise SystemExit("needs selenium: pip install -e '.[dev]'") from None
    options = webdriver.ChromeOptions()
    options.binary_location = _executable("/usr/bin/chromium")
    for flag in FLAGS:
        options.add_argument(flag)
    service = Service(executable_path=_executable("/usr/bin/chromedriver"))
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_page_load_timeout(timeout)
    driver.set_script_timeout(timeout)
    return driver


def viewport(driver: WebDriver, width: int, height: int, scale: float = 1) -> None:
    """Lay pages out `width` CSS pixels wide (a phone below 600), drawn at `scale`."""
    metrics = {"width": width, "height": height, "deviceScaleFactor": scale, "mobile": width < 600}
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)


def screenshot(driver: WebDriver, path: Path, width: int, height: int) -> int:
    """Save the top `width` x `height` CSS pixels of the page as PNG; its size in bytes."""
    clip = {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}
    shot = driver.execute_cdp_cmd(
        "Page.captureScreenshot", {"format": "png", "clip": clip, "captureBeyondViewport": True}
    )
    data = base64.b64decode(shot["data"])
    path.write_bytes(data)
    return len(data)
