"""The `notify` section of tagctl.yaml: the team chats a KPI run is announced to.

Each channel has a name (what `--notify NAME` says), a service (`wecom`,
`dingtalk`, `feishu`, `slack`, or a generic JSON `webhook`), the URL of its
incoming webhook and, for DingTalk and Feishu, the secret that signs each
message. A webhook URL is a credential (WeCom's `key`, DingTalk's
`access_token`, the path of a Feishu or Slack hook), so tagctl.yaml names
the environment variables that hold the URL and the secret, `${VARIABLE}`,
never their values; they are read when a message is sent.

The schema checks the shapes; `notify_problem` refuses, with its position,
what the schema cannot say: a URL or secret written out, a secret for a
service that signs nothing, an unknown placeholder in `report_url`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tagctl.catalog.source import JsonPath
from tagctl.isotime import unknown_placeholders

SERVICES = ("wecom", "dingtalk", "feishu", "slack", "webhook")
SIGNING = ("dingtalk", "feishu")  # the services whose messages carry a signature
THRESHOLDS = ("alert", "warning", "always")  # `on`: the run's level that sends
REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass(frozen=True)
class Channel:
    """One chat of `notify`, as tagctl.yaml names it."""

    name: str
    service: str  # one of SERVICES
    url: str  # `${VARIABLE}`
    secret: str | None = None  # `${VARIABLE}`; DingTalk and Feishu only
    on: str = "alert"  # one of THRESHOLDS
    report_url: str | None = None  # the report's public link; {date} and {datetime}


def variable(reference: str) -> str:
    """The name of the environment variable of a `${VARIABLE}` reference."""
    found = REFERENCE.fullmatch(reference)
    if found is None:
        raise ValueError(f"not a ${{VARIABLE}} reference: {reference!r}")
    return found.group(1)


def read_channels(data: Mapping[str, Any]) -> dict[str, Channel]:
    """The channels of a `notify` mapping the schema and `notify_problem` have passed."""
    return {
        str(name): Channel(
            name=str(name),
            service=str(entry["type"]),
            url=str(entry["url"]),
            secret=entry.get("secret"),
            on=str(entry.get("on", "alert")),
            report_url=entry.get("report_url"),
        )
        for name, entry in data.items()
    }


def notify_problem(data: Any) -> tuple[JsonPath, str] | None:
    """Where the `notify` of one schema-valid file goes wrong, and why; None if nowhere.

    The message never quotes the value: it may be the credential itself.
    """
    channels = data.get("notify") if isinstance(data, Mapping) else None
    for name, entry in (channels or {}).items():
        for key in ("url", "secret"):
            value = entry.get(key)
            if value is not None and REFERENCE.fullmatch(value) is None:
                return (("notify", name, key), _written_out(key, name))
        service = entry.get("type")
        if entry.get("secret") is not None and service not in SIGNING:
            return (
                ("notify", name, "secret"),
                f"{service} signs nothing; only dingtalk and feishu take a secret",
            )
        unknown = unknown_placeholders(entry.get("report_url") or "")
        if unknown:
            return (
                ("notify", name, "report_url"),
                f"unknown placeholder {{{unknown[0]}}}; use {{date}} or {{datetime}}",
            )
    return None


def _written_out(key: str, name: str) -> str:
    what = "webhook URL" if key == "url" else "signing secret"
    suggested = re.sub(r"[^A-Z0-9]+", "_", name.upper()).strip("_") or "CHAT"
    suffix = "WEBHOOK" if key == "url" else "SECRET"
    return (
        f"a {what} is a credential: write the name of the environment variable that holds it,"
        f" like ${{{suggested}_{suffix}}}, not the value"
    )
