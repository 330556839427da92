"""Slack incoming webhooks: a `mrkdwn` section, with `text` for notifications.

POST to `https://hooks.slack.com/services/T…/B…/…` the body `{"text":
TITLE, "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text":
TEXT}}]}`; a section's text is at most 3000 characters. Slack's mrkdwn
writes bold as `*bold*` and a link as `<url|text>`, and `&`, `<` and `>`
must be escaped. The answer is HTTP 200 with the text `ok`, or an error
such as HTTP 400 `invalid_payload`, 403 `invalid_token`, 404 `no_service`.
"""

from __future__ import annotations

from tagctl.notify.headline import Headline
from tagctl.notify.message import Style, fit_chars, markdown, title
from tagctl.notify.service import Body, Service, short

LIMIT = 3000  # characters of a section's text


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


STYLE = Style(
    bold=lambda text: f"*{text}*",
    link=lambda url: f"<{escape(url)}>",
    bullet="• ",
    escape=escape,
)


def payload(headline: Headline) -> Body:
    text = fit_chars(markdown(headline, STYLE), LIMIT)
    section = {"type": "section", "text": {"type": "mrkdwn", "text": text}}
    return {"text": escape(title(headline)), "blocks": [section]}


def problem(body: bytes) -> str | None:
    answer = body.decode("utf-8", errors="replace").strip()
    return None if answer == "ok" else short(answer) or "an empty answer"


SERVICE = Service("slack", "Slack", payload, problem)
