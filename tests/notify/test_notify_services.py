"""Each chat service's message, as its server receives it: shape, words, signature.

Every test sends through `announce` to the local chat server and reads the
request back. The DingTalk and Feishu signatures are recomputed here from
their documented recipes, not with tagctl's code.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus

import jsonschema
import pytest
from chatserver import SUCCESS, Answer, ChatServer, Received
from notifyruns import CATALOG, NOW, occasion, run_of

from tagctl.catalog.notifyconfig import SERVICES as CONFIGURED
from tagctl.catalog.notifyconfig import Channel
from tagctl.notify.deliver import Outcome, Transport, announce
from tagctl.notify.headline import Occasion
from tagctl.notify.registry import SERVICES
from tests.report.documents import alert, tag_kpi

SCHEMA = Path(__file__).resolve().parents[2] / "schemas" / "notify-webhook.schema.json"
WORST = ["broken_tag", "stale_tag", "empty_tag", "unused_tag", "thin_tag"]
SECRET = "SEC0123456789abcdef"

MakeTransport = Callable[..., Transport]


def send(
    chat: ChatServer,
    transport: MakeTransport,
    service: str,
    occasion: Occasion,
    url: str | None = None,
    **options: Any,
) -> tuple[Outcome, Received]:
    """Announce `occasion` on one channel of `service`; its outcome and the request."""
    channel = Channel("ops", service, "${CHAT_URL}", on="always", **options)
    chat.answer(Answer(body=SUCCESS[service]))
    environ = {"CHAT_URL": url or chat.url(), "CHAT_SECRET": SECRET}
    [outcome] = announce([channel], occasion, transport=transport(environ))
    assert outcome.problem is None, outcome
    [request] = chat.received
    return outcome, request


def test_every_configurable_type_has_a_service() -> None:
    assert tuple(SERVICES) == CONFIGURED


def test_wecom_sends_markdown_content(chat: ChatServer, transport: MakeTransport) -> None:
    url = chat.url("/cgi-bin/webhook/send", "key=693a91f6-7xxx")
    _, request = send(chat, transport, "wecom", occasion(), url)
    body = request.json()
    assert body.keys() == {"msgtype", "markdown"} and body["msgtype"] == "markdown"
    assert body["markdown"].keys() == {"content"}
    content = body["markdown"]["content"]
    assert request.query == {"key": "693a91f6-7xxx"}
    assert request.headers["Content-Type"] == "application/json; charset=utf-8"
    assert "3 tags with alerts, 2 with warnings, of 7 measured" in content
    assert '<font color="warning">Alert</font>' in content
    assert [content.index(f"**{name}**") for name in WORST] == sorted(
        content.index(f"**{name}**") for name in WORST
    )
    assert "**broken_tag** (" in content and "out of domain, stale, drift" in content
    assert "fine_tag" not in content and "good_tag" not in content


def test_wecom_content_stays_under_4096_bytes(chat: ChatServer, transport: MakeTransport) -> None:
    long_path = Path("/srv/reports/" + "报" * 3000 + ".html")
    _, request = send(chat, transport, "wecom", occasion(report_path=long_path))
    content = request.json()["markdown"]["content"]
    assert len(content.encode("utf-8")) <= 4096 and content.endswith("…")


def test_dingtalk_markdown_with_title(chat: ChatServer, transport: MakeTransport) -> None:
    url = chat.url("/robot/send", "access_token=abc123def456")
    _, request = send(chat, transport, "dingtalk", occasion(lang="zh"), url)
    body = request.json()
    assert body["msgtype"] == "markdown" and body["markdown"].keys() == {"title", "text"}
    assert body["markdown"]["title"] == f"{CATALOG}：2026-11-23 标签 KPI"
    text = body["markdown"]["text"]
    assert "**告警**：告警标签 3 个，提醒标签 2 个，共统计 7 个" in text
    assert "- **broken_tag**（告警）：取值越界、更新不及时、分布漂移" in text
    assert request.query == {"access_token": "abc123def456"}  # unsigned without a secret


def test_dingtalk_signature_is_appended_to_the_url(
    chat: ChatServer, transport: MakeTransport
) -> None:
    url = chat.url("/robot/send", "access_token=abc123def456")
    _, request = send(chat, transport, "dingtalk", occasion(), url, secret="${CHAT_SECRET}")
    timestamp = str(round(NOW * 1000))
    to_sign = f"{timestamp}\n{SECRET}".encode()
    expected = base64.b64encode(hmac.new(SECRET.encode(), to_sign, hashlib.sha256).digest())
    assert request.query == {
        "access_token": "abc123def456",
        "timestamp": timestamp,
        "sign": expected.decode(),
    }
    assert request.raw_query.endswith(f"&sign={quote_plus(expected.decode())}")  # url-encoded


def test_feishu_interactive_card_signed_in_the_body(
    chat: ChatServer, transport: MakeTransport
) -> None:
    _, request = send(chat, transport, "feishu", occasion(), secret="${CHAT_SECRET}")
    body = request.json()
    timestamp = str(int(NOW))
    key = f"{timestamp}\n{SECRET}".encode()
    expected = base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()
    assert (body["timestamp"], body["sign"]) == (timestamp, expected)
    assert body["msg_type"] == "interactive"
    card = body["card"]
    assert card["header"]["title"] == {
        "tag": "plain_text",
        "content": f"{CATALOG}: tag KPIs of 2026-11-23",
    }
    assert card["header"]["template"] == "red"
    [element] = card["elements"]
    assert element["tag"] == "div" and element["text"]["tag"] == "lark_md"
    assert "**broken_tag**" in element["text"]["content"]
    assert CATALOG not in element["text"]["content"]  # the title is the header's


def test_feishu_header_follows_the_level(chat: ChatServer, transport: MakeTransport) -> None:
    clear = run_of(fine_tag=tag_kpi())
    _, request = send(chat, transport, "feishu", occasion(clear))
    card = request.json()["card"]
    assert card["header"]["template"] == "green"
    assert "no alerts or warnings among 1 tags measured" in card["elements"][0]["text"]["content"]
    assert "timestamp" not in request.json()  # unsigned without a secret


def test_slack_mrkdwn_section_with_escapes(chat: ChatServer, transport: MakeTransport) -> None:
    report = Path("/srv/reports/tags-2026-11-23.html")
    template = "https://reports.example.com/tags-{date}.html?a=1&b=2"
    _, request = send(chat, transport, "slack", occasion(report_path=report), report_url=template)
    body = request.json()
    assert body["text"] == "Beauty &amp; Health &lt;catalog&gt;: tag KPIs of 2026-11-23"
    [block] = body["blocks"]
    assert block["type"] == "section" and block["text"]["type"] == "mrkdwn"
    text = block["text"]["text"]
    assert text.startswith("*Beauty &amp; Health &lt;catalog&gt;: tag KPIs of 2026-11-23*")
    assert "• *broken_tag* (alert): out of domain, stale, drift" in text
    assert "*Report*: <https://reports.example.com/tags-2026-11-23.html?a=1&amp;b=2>" in text
    assert "**" not in text


def test_generic_webhook_document(chat: ChatServer, transport: MakeTransport) -> None:
    report = Path("/srv/reports/tags-2026-11-23.html")
    event = occasion(run_id="4f1c0e", report_path=report)
    template = "https://reports.example.com/tags-{date}.html"
    _, request = send(chat, transport, "webhook", event, report_url=template)
    body = request.json()
    jsonschema.validate(body, json.loads(SCHEMA.read_text(encoding="utf-8")))
    assert body["level"] == "alert" and body["counts"] == {"alert": 3, "warning": 2}
    assert [tag["tag"] for tag in body["worst"]] == WORST and body["more"] == 0
    assert body["worst"][0]["alerts"][0] == {
        "code": "domain_violations",
        "level": "alert",
        "message": "domain_violations",
    }
    assert (body["as_of"], body["run_id"], body["measured"]) == ("2026-11-23T06:00:00", "4f1c0e", 7)
    assert body["report_url"] == "https://reports.example.com/tags-2026-11-23.html"
    assert body["report_path"] == str(report)
    assert (body["command"], body["catalog"], body["lang"]) == ("kpi", CATALOG, "en")


def test_more_than_five_flagged_tags_are_counted_not_named(
    chat: ChatServer, transport: MakeTransport
) -> None:
    many = run_of(**{f"tag_{i:02d}": tag_kpi(alerts=[alert("zombie")]) for i in range(8)})
    _, request = send(chat, transport, "webhook", occasion(many, lang="zh"))
    body = request.json()
    assert [tag["tag"] for tag in body["worst"]] == [f"tag_{i:02d}" for i in range(5)]
    assert body["more"] == 3 and "- 另有 3 个" in body["text"]
    assert body["level"] == "warning" and "**提醒**" in body["text"]


@pytest.mark.parametrize("service", sorted(CONFIGURED))
def test_the_report_link_only_when_a_report_was_written(
    service: str, chat: ChatServer, transport: MakeTransport
) -> None:
    template = "https://reports.example.com/tags-{datetime}.html"
    _, request = send(chat, transport, service, occasion(), report_url=template)
    assert "reports.example.com" not in request.body.decode("utf-8")
