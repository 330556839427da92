"""WeCom (企业微信) group robots: a `markdown` message.

POST to `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=KEY` the
body `{"msgtype": "markdown", "markdown": {"content": TEXT}}`, at most 4096
bytes of UTF-8. The answer is HTTP 200 with `{"errcode": 0, "errmsg": "ok"}`,
or another errcode (93000: the key is wrong; 45009: too many messages).
The level's word is coloured with WeCom's `<font color="warning">`.
"""

from __future__ import annotations

from tagctl.notify.headline import Headline
from tagctl.notify.message import Style, fit_bytes, markdown
from tagctl.notify.service import Body, Service, errcode_problem

LIMIT = 4096  # bytes of content


def _coloured(word: str, level: str | None) -> str:
    colour = {"alert": "warning", "warning": "comment"}.get(level or "", "info")
    return f'<font color="{colour}">{word}</font>'


STYLE = Style(level=_coloured)


def payload(headline: Headline) -> Body:
    return {
        "msgtype": "markdown",
        "markdown": {"content": fit_bytes(markdown(headline, STYLE), LIMIT)},
    }


SERVICE = Service("wecom", "WeCom", payload, errcode_problem)
