"""A channel's URL and secret, read from the environment when a message is sent.

tagctl.yaml holds only `${VARIABLE}` references. Every value read, and each
part of a URL that may be its credential (a query value, a long path
segment with a digit in it or of 16 characters or more: the token of a
Feishu or Slack hook), is kept to be scrubbed out of anything shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

from tagctl.catalog.notifyconfig import Channel, variable
from tagctl.kpi.masking import secrets


class Unset(Exception):
    """A channel's variable is not set, or holds no usable value; the message says which."""


@dataclass(frozen=True)
class Credentials:
    url: str
    secret: str | None
    hidden: frozenset[str]  # values to scrub from anything shown

    @property
    def shown(self) -> str:
        """The URL as messages may show it: scheme and host, the rest masked."""
        parts = urlsplit(self.url)
        port = f":{parts.port}" if parts.port else ""
        return f"{parts.scheme}://{parts.hostname}{port}/***"


def credentials(channel: Channel, environ: Mapping[str, str]) -> Credentials:
    """The URL and secret of `channel` from `environ`; Unset names a missing variable."""
    url = _value(channel.url, environ)
    if not _web_address(url):
        raise Unset(f"${{{variable(channel.url)}}} does not hold an http(s) URL")
    secret = _value(channel.secret, environ) if channel.secret else None
    return Credentials(url, secret, frozenset(hidden_parts(url) | ({secret} if secret else set())))


def _web_address(url: str) -> bool:
    try:
        parts = urlsplit(url)
        return parts.scheme in ("http", "https") and bool(parts.hostname) and parts.port != 0
    except ValueError:  # a bad port or IPv6 address
        return False


def _value(reference: str, environ: Mapping[str, str]) -> str:
    name = variable(reference)
    value = environ.get(name, "").strip()
    if not value:
        raise Unset(f"${{{name}}} is {'empty' if name in environ else 'not set'}")
    return value


def hidden_parts(url: str) -> set[str]:
    """The parts of a webhook URL that may be its credential, and the URL itself."""
    parts = urlsplit(url)
    found = {url, parts.path, parts.query, *secrets(url)}
    found.update(value for _, value in parse_qsl(parts.query) if len(value) >= 4)
    found.update(
        segment
        for segment in parts.path.split("/")
        if len(segment) >= 16 or (len(segment) >= 8 and any(c.isdigit() for c in segment))
    )
    return {part for part in found if len(part) >= 4}
