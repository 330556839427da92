"""DingTalk (钉钉) custom robots: a `markdown` message, signed when the robot has a secret.

POST to `https://oapi.dingtalk.com/robot/send?access_token=TOKEN` the body
`{"msgtype": "markdown", "markdown": {"title": TITLE, "text": TEXT}}`; the
title is what the chat list shows. A robot with the 加签 (signing) security
setting takes `&timestamp=T&sign=S` on the URL: T the time in milliseconds,
S the HMAC-SHA256 of "T\\nSECRET" under the secret, in base64, URL-encoded;
DingTalk refuses a timestamp more than an hour off. The answer is HTTP 200
with `{"errcode": 0, "errmsg": "ok"}`, or another errcode (310000: the
signature, the keywords or the IP whitelist; 300001: the token).
"""

from __future__ import annotations

from urllib.parse import quote_plus

from tagctl.notify.headline import Headline
from tagctl.notify.message import markdown, title
from tagctl.notify.service import Body, Service, errcode_problem, hmac_base64


def payload(headline: Headline) -> Body:
    return {
        "msgtype": "markdown",
        "markdown": {"title": title(headline), "text": markdown(headline)},
    }


def sign(url: str, body: Body, secret: str, now: float) -> tuple[str, Body]:
    """`url` with the timestamp (ms) and signature of `now` appended."""
    timestamp = str(round(now * 1000))
    signature = quote_plus(hmac_base64(secret, f"{timestamp}\n{secret}"))
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}timestamp={timestamp}&sign={signature}", body


SERVICE = Service("dingtalk", "DingTalk", payload, errcode_problem, sign)
