"""Feishu / Lark (飞书) custom bots: an interactive card, signed when the bot has a secret.

The message is an interactive card (`msg_type: interactive`), not a `post`:
a post is rich text built node by node (text, link, @), while a card's
`lark_md` text renders Markdown (bold, links, line breaks) and its header
takes the run's colour: red for alert, orange for warning, green otherwise.

POST to `https://open.feishu.cn/open-apis/bot/v2/hook/TOKEN` (Lark:
`open.larksuite.com`) the body `{"msg_type": "interactive", "card": {...}}`.
A bot with signature verification takes `"timestamp"` (seconds, as text)
and `"sign"` in the body: the HMAC-SHA256 of an empty message under the key
"TIMESTAMP\\nSECRET", in base64. The answer is `{"code": 0, "msg":
"success"}` (older bots: `StatusCode`), or another code (19021: the
signature; 19024: the keywords; 9499: a bad request), sometimes with HTTP
400.
"""

from __future__ import annotations

from tagctl.notify.headline import Headline
from tagctl.notify.message import markdown, title
from tagctl.notify.service import Body, Service, hmac_base64, read_json, short

COLOURS = {"alert": "red", "warning": "orange"}


def payload(headline: Headline) -> Body:
    text = markdown(headline, with_title=False)
    header = {
        "title": {"tag": "plain_text", "content": title(headline)},
        "template": COLOURS.get(headline.level or "", "green"),
    }
    card = {
        "config": {"wide_screen_mode": True},
        "header": header,
        "elements": [{"tag": "div", "text": {"tag": "lark_md", "content": text}}],
    }
    return {"msg_type": "interactive", "card": card}


def sign(url: str, body: Body, secret: str, now: float) -> tuple[str, Body]:
    """`body` with the timestamp (s) and signature of `now` added."""
    timestamp = str(int(now))
    return url, {"timestamp": timestamp, "sign": hmac_base64(f"{timestamp}\n{secret}", ""), **body}


def problem(body: bytes) -> str | None:
    data = read_json(body)
    if data is None:
        return f"an answer that is not JSON: {short(body)}" if body.strip() else "an empty answer"
    if "code" not in data and "StatusCode" not in data:
        return f"an answer without a code: {short(body)}"
    code = data.get("code", data.get("StatusCode"))
    if code == 0:
        return None
    message = data.get("msg", data.get("StatusMessage", ""))
    return f"{short(str(message))} (code {code})"


SERVICE = Service("feishu", "Feishu", payload, problem, sign)
