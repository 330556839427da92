"""Secrets kept out of everything tagctl shows, writes or stores.

A connection URL carries secrets in its user part (`user:pw@host`), in its
query (`?password=`, `?api_key=`, `?access_token=`, any key naming a
password, token, secret, private key, API key or credential, or ending in
`key`) and inside a query value (an ODBC string's `PWD=`). `masked` renders
a URL with each of them as `***`: it is what every message, the KPI
document and the history show. `scrub` takes secrets out of free text such
as a driver's error message: `key=value` pairs and URL passwords it
recognises, and the secret values of every URL tagctl has opened
(`remember`), however the driver quotes them. Standard library only, so
that the CLI's error handler can use it cheaply.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote, unquote_plus

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

MASK = "***"
UNPARSABLE = "<unparsable URL>"

_EXACT_KEYS = frozenset({"pass", "sig", "signature", "auth", "authorization"})
_KEY_PARTS = (
    "password",
    "passwd",
    "pwd",
    "token",
    "secret",
    "private_key",
    "privatekey",
    "apikey",
    "api_key",
    "credential",
)
_URL = re.compile(r"(?P<scheme>[A-Za-z][\w+.\-]*)://(?P<rest>.*)", re.DOTALL)
# key=value in free text, or 'key': value in a repr; quoted values and ODBC {braces} whole.
_PAIR = re.compile(
    r"(?P<key>[A-Za-z_][\w.\-]*)(?P<sep>\s*=\s*|[\"']\s*[:=]\s*)"
    r"(?P<value>\"[^\"]*\"|'[^']*'|\{[^}]*\}|[^\s;&,'\")\]}]+)"
)
_USERINFO = re.compile(r"(?P<head>[A-Za-z][\w+.\-]*://[^\s:/@]*:)(?P<password>\S+)@")
_SHORT = 4  # secrets shorter than this are scrubbed as whole words only

_known: set[str] = set()


def secret_key(name: str) -> bool:
    """Whether a query or connection-string key names a secret."""
    key = name.strip().lower().replace("-", "_")
    return key in _EXACT_KEYS or key.endswith("key") or any(part in key for part in _KEY_PARTS)


def masked(url: str | URL) -> str:
    """`url` with every secret as ***; an unparsable URL is not shown at all."""
    text = url if isinstance(url, str) else url.render_as_string(hide_password=False)
    found = _URL.fullmatch(text.strip())
    if found is None:
        return UNPARSABLE
    location, user, password, query = _split(found["rest"])
    shown = f"{found['scheme']}://"
    if user is not None:
        shown += user + (f":{MASK}" if password is not None else "") + "@"
    shown += location
    if query is not None:
        shown += "?" + "&".join(_masked_item(item) for item in query.split("&"))
    return shown


def password_has_at(url: str) -> bool:
    """Whether the password of `url` holds an unescaped @ (drivers would take part of it
    for the host name and print it in their errors)."""
    found = _URL.fullmatch(url.strip())
    if found is None:
        return False
    password = _split(found["rest"])[2]
    return password is not None and "@" in password


def _split(rest: str) -> tuple[str, str | None, str | None, str | None]:
    """(location, user, password, query) of what follows `scheme://`.

    The user part ends at the last @ before the query, so that a password
    with an unescaped @ is masked whole; a part with a / before its colon is
    a file path, not a user.
    """
    before, sep, query = rest.partition("?")
    at = before.rfind("@")
    if at < 0:
        return before, None, None, query if sep else None
    name, colon, password = before[:at].partition(":")
    if "/" in name:
        return before, None, None, query if sep else None
    return before[at + 1 :], name, password if colon else None, query if sep else None


def _masked_item(item: str) -> str:
    key, equals, value = item.partition("=")
    if not equals:
        return item
    if secret_key(unquote_plus(key)):
        return f"{key}={MASK}"
    decoded = unquote_plus(value)
    inner = _masked_pairs(decoded)
    return f"{key}={quote(inner, safe='*')}" if inner != decoded else item


def _masked_pairs(text: str) -> str:
    def hide(match: re.Match[str]) -> str:
        if not secret_key(match["key"]):
            return match[0]
        return f"{match['key']}{match['sep']}{MASK}"

    return _PAIR.sub(hide, text)


def secrets(url: str) -> set[str]:
    """The secret values of `url`, as written and decoded."""
    found = _URL.fullmatch(url.strip())
    if found is None:
        return {url.strip()} - {""}  # unparsable: only the whole text is known to be secret
    _, _, password, query = _split(found["rest"])
    values = set(_spellings(password)) if password else set()
    for item in (query or "").split("&"):
        key, _, value = item.partition("=")
        if secret_key(unquote_plus(key)):
            values.update(_spellings(value))
        else:
            values.update(_inner_secrets(unquote_plus(value)))
    return {value for value in values if value and value != MASK}


def _spellings(value: str) -> Iterator[str]:
    yield value
    yield unquote(value)
    yield unquote_plus(value)


def _inner_secrets(text: str) -> Iterator[str]:
    for match in _PAIR.finditer(text):
        if secret_key(match["key"]):
            yield match["value"].strip("'\"{}")


def remember(url: str) -> None:
    """Note the secrets of a URL tagctl opens, for `scrub`."""
    _known.update(secrets(url))


def remember_values(values: Iterable[str]) -> None:
    """Note secret values that no URL syntax marks as such (the token in the path of a
    chat webhook, a signing secret), for `scrub`."""
    _known.update(value for value in values if value and value != MASK)


def scrub(text: str, extra: Iterable[str] = ()) -> str:
    """`text` without URL passwords, secret `key=value` values, and the known secrets."""
    text = _USERINFO.sub(lambda match: f"{match['head']}{MASK}@", text)
    text = _masked_pairs(text)
    for value in sorted(_known.union(extra), key=len, reverse=True):
        if len(value) >= _SHORT:
            text = text.replace(value, MASK)
        elif value:
            text = re.sub(rf"(?<![\w]){re.escape(value)}(?![\w])", MASK, text)
    return text
