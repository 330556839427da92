"""The HTML page: escaping, no network, the script allowed by its hash, languages.

The page is checked as text and as parsed HTML (the standard library parser
collects every tag and attribute), never by eye.
"""

from __future__ import annotations

import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from tagctl.catalog.config import Config, load_config
from tagctl.catalog.tags import Tag, load_tags
from tagctl.report.build import ReportOptions, build_report
from tagctl.report.render import render_report, script_hash
from tests.report.documents import alert, conversion, document, tag_kpi

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = '<script>window.__xss=1</script><img src=x onerror="window.__xss=2">'


class Page(HTMLParser):
    """Every start tag with its attributes, and the text of the one script."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self.text: list[str] = []
        self._in_script = False
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data
        else:
            self.text.append(data)


def policy(page: Page) -> str | None:
    """The page's Content-Security-Policy."""
    return next(
        a["content"] for _, a in page.tags if a.get("http-equiv") == "Content-Security-Policy"
    )


@cache
def sample() -> tuple[Config, list[Tag]]:
    config = load_config(ROOT / "tag-catalog" / "tagctl.yaml")
    return config, load_tags(config)[0]


def render(doc: dict[str, Any], lang: str = "en", tags: list[Tag] | None = None) -> str:
    config, sample_tags = sample()
    options = ReportOptions(lang, ("admin", "operator", "executive"), 20)
    return render_report(build_report(doc, tags or sample_tags, config, options))


def full_document() -> dict[str, Any]:
    return document(
        {
            "skin_type": tag_kpi(coverage=0.004, alerts=[alert("low_coverage")]),
            "churn_risk_7d": tag_kpi(conversion=conversion(0.02, 0.01, 0.03, 0.001, True)),
            "sms_opt_in": tag_kpi(coverage=0.002, **{"usage.events": 0}),
        },
        cold=["sms_opt_in"],
        star=["churn_risk_7d"],
    )


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_page_asks_for_nothing_from_any_network(lang: str) -> None:
    html = render(full_document(), lang)
    page = Page(html)
    for tag, attrs in page.tags:
        assert tag not in {"link", "img", "iframe", "object", "embed", "image", "use"}, tag
        for name in ("src", "href", "action", "xlink:href", "srcset", "poster"):
            value = attrs.get(name)
            assert value is None or value.startswith("#"), (tag, name, value)
    assert not re.search(r"url\(|@import|@font-face", html)
    for script in page.scripts:
        assert not re.search(r"fetch|XMLHttpRequest|WebSocket|EventSource|sendBeacon", script)
    csp = policy(page)
    assert csp is not None and "default-src 'none'" in csp


def test_the_policy_allows_exactly_the_page_script_by_its_hash() -> None:
    page = Page(render(full_document()))
    assert len(page.scripts) == 1
    csp = policy(page)
    assert csp is not None
    assert f"script-src '{script_hash(page.scripts[0])}'" in csp
    assert "unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]


def test_text_from_the_catalog_and_the_warehouse_is_escaped() -> None:
    tags = sample()[1]
    skin = next(tag for tag in tags if tag.name == "skin_type")
    hostile_tag = skin.__class__(**{**skin.__dict__, "description": HOSTILE, "en": "<b>bold</b>"})
    doc = full_document()
    doc["tags"]["skin_type"]["values"] = [{"value": HOSTILE, "holders": 1, "share": 1.0}]
    doc["notes"] = [HOSTILE]
    html = render(doc, tags=[hostile_tag if tag is skin else tag for tag in tags])
    page = Page(html)
    assert len(page.scripts) == 1  # only the page's own
    assert not [tag for tag, _ in page.tags if tag == "img"]
    assert all(not name.startswith("on") for _, attrs in page.tags for name in attrs)
    text = "".join(page.text)
    assert HOSTILE in text and "<b>bold</b>" in text  # shown as text


def test_the_chinese_page_is_chinese_and_the_english_page_english() -> None:
    zh, en = render(full_document(), "zh"), render(full_document(), "en")
    assert '<html lang="zh-CN">' in zh and '<html lang="en">' in en
    assert "标签治理报告" in zh and "清理候选" in zh and "Cleanup" not in zh
    assert "Tag governance report" in en and "Cleanup candidates" in en
    assert "PingFang SC" in zh and "Noto Sans CJK SC" in zh  # CJK fonts in the stack


def test_every_number_of_a_tag_row_is_the_documents() -> None:
    doc = full_document()
    page = Page(render(doc))
    text = " ".join(page.text)
    lift = doc["tags"]["churn_risk_7d"]["conversion"]
    assert "+2.00 pp" in text and f"[{lift['ci_low'] * 100:+.2f} pp, +3.00 pp]" in text
    assert "0.4%" in text and "0.2%" in text  # skin_type and sms_opt_in coverage


def test_rendering_is_deterministic() -> None:
    assert render(full_document()) == render(full_document())
