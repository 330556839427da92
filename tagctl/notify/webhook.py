"""A generic webhook: the run's headline as a JSON document, for any receiver.

POSTed as `application/json; charset=utf-8`; any 2xx answer is success.
`schemas/notify-webhook.schema.json` describes the document:

- `format_version` (1), `tagctl_version`, `catalog`, `command` (kpi or report)
- `as_of` (ISO 8601, as in the KPI document), `run_id` (the saved run's id, or null)
- `level`: the run's highest level, `alert`, `warning` or null
- `counts`: `{"alert": N, "warning": M}`, tags at each level (a tag counts at its highest)
- `measured`: the tags measured
- `worst`: up to five tags, worst first, each `{"tag", "level", "alerts": [{"code",
  "level", "message"}]}`; `more`: how many other tags have alerts or warnings
- `report_url`, `report_path`: the report's link and file, or null
- `lang`, `title`, `text`: the message as a chat would show it, in Markdown
"""

from __future__ import annotations

from tagctl import __version__
from tagctl.notify.headline import Headline
from tagctl.notify.message import markdown, title
from tagctl.notify.service import Body, Service

FORMAT_VERSION = 1


def payload(headline: Headline) -> Body:
    worst = [
        {
            "tag": tag.name,
            "level": tag.level,
            "alerts": [
                {"code": alert.code, "level": alert.level, "message": alert.message}
                for alert in tag.alerts
            ],
        }
        for tag in headline.worst
    ]
    return {
        "format_version": FORMAT_VERSION,
        "tagctl_version": __version__,
        "catalog": headline.catalog,
        "command": headline.command,
        "as_of": headline.as_of,
        "run_id": headline.run_id,
        "level": headline.level,
        "counts": dict(headline.counts),
        "measured": headline.measured,
        "worst": worst,
        "more": headline.more,
        "report_url": headline.report_url,
        "report_path": headline.report_path,
        "lang": headline.lang,
        "title": title(headline),
        "text": markdown(headline, with_title=False),
    }


def problem(body: bytes) -> str | None:
    return None  # any 2xx answer is success


SERVICE = Service("webhook", "the webhook", payload, problem)
