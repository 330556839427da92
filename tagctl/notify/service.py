"""What every chat service provides, and the small parts several of them share.

A service turns a headline into its message (`payload`), may sign the
request with the channel's secret (`sign`: the URL and the body, at a
moment), and reads its own verdict out of an answer (`problem`): WeCom and
DingTalk answer HTTP 200 with an `errcode`, Feishu with a `code`, Slack
with a text other than `ok`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tagctl.notify.headline import Headline
from tagctl.textsafe import printable

Body = dict[str, Any]
Signer = Callable[[str, Body, str, float], tuple[str, Body]]  # (url, body, secret, now)


@dataclass(frozen=True)
class Service:
    name: str  # the `type` of a channel
    title: str  # how messages name it: WeCom, DingTalk, ...
    payload: Callable[[Headline], Body]
    problem: Callable[[bytes], str | None]  # the service's own failure in an answer
    sign: Signer | None = None  # None: the service signs nothing


def hmac_base64(key: str, message: str) -> str:
    """HMAC-SHA256 of `message` under `key` (both UTF-8), in base64."""
    digest = hmac.new(key.encode("utf-8"), message.encode("utf-8"), hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def read_json(body: bytes) -> dict[str, Any] | None:
    """An answer's JSON object; None when it is not one."""
    try:
        data = json.loads(body.decode("utf-8"))
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def short(answer: bytes | str, limit: int = 200) -> str:
    """An answer, or a text of it, as one printable line of at most `limit` characters."""
    if isinstance(answer, bytes):
        answer = answer.decode("utf-8", errors="replace")
    text = printable(" ".join(answer.split()))
    return text if len(text) <= limit else text[: limit - 3] + "..."


def errcode_problem(body: bytes) -> str | None:
    """WeCom's and DingTalk's verdict: `errcode` 0 is success; a missing errcode is not."""
    data = read_json(body)
    if data is None or "errcode" not in data:
        return f"an answer without errcode: {short(body)}" if body.strip() else "an empty answer"
    if data["errcode"] == 0:
        return None
    return f"{short(str(data.get('errmsg', '')))} (errcode {data['errcode']})"
