"""One JSON POST to a webhook, with a timeout and retries; standard library only.

Each attempt may take `Policy.timeout` seconds (5) to connect and for each
read. A failure that may pass is tried again after each of `Policy.delays`
(0.5 s, then 1 s): a refused or reset connection, a name that does not
resolve, no answer in time, HTTP 429 and 5xx. Any other HTTP error (a 4xx:
the URL, the token or the message is wrong) is final at once. Redirects
are not followed, so that the message and its credentials go to the
configured host only. The caller reads the service's own verdict from the
body of a 2xx answer.
"""

from __future__ import annotations

import http.client
import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from tagctl import __version__

MAX_ANSWER = 64 * 1024  # bytes of an answer read


@dataclass(frozen=True)
class Policy:
    timeout: float = 5.0  # seconds per attempt, to connect and for each read
    delays: tuple[float, ...] = (0.5, 1.0)  # before each retry: two retries
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)


@dataclass(frozen=True)
class Delivery:
    status: int
    body: bytes
    retries: tuple[str, ...]  # how each failed attempt before it failed


class SendError(Exception):
    """The message did not get through; `status` and `body` are the last answer's, if any."""

    def __init__(
        self, reason: str, status: int | None = None, body: bytes = b"", tries: tuple[str, ...] = ()
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.body = body
        self.tries = tries


class _Transient(Exception):
    """A failed attempt worth another."""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # the 3xx becomes an HTTPError: final


_OPENER = urllib.request.build_opener(_NoRedirect())


def post_json(url: str, document: Mapping[str, Any], policy: Policy = Policy()) -> Delivery:
    """POST `document` to `url`; the first answer that is not worth retrying, or SendError."""
    data = json.dumps(document, ensure_ascii=False).encode("utf-8")
    tries: list[str] = []
    for delay in (*policy.delays, None):
        try:
            status, body = _attempt(url, data, policy.timeout)
        except _Transient as failure:
            tries.append(str(failure))
            if delay is None:
                attempts = f"{len(tries)} attempts" if len(tries) > 1 else "1 attempt"
                raise SendError(f"{failure} ({attempts})", tries=tuple(tries)) from None
            policy.sleep(delay)
        except SendError as failure:
            raise SendError(failure.reason, failure.status, failure.body, tuple(tries)) from None
        else:
            return Delivery(status, body, tuple(tries))
    raise AssertionError("unreachable")  # the last delay is None


def _attempt(url: str, data: bytes, timeout: float) -> tuple[int, bytes]:
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": f"tagctl/{__version__}",
    }
    request = urllib.request.Request(url, data=data, headers=headers, method="POST")
    try:
        with _OPENER.open(request, timeout=timeout) as answer:
            return answer.status, answer.read(MAX_ANSWER)
    except urllib.error.HTTPError as error:
        body = _read(error)
        if error.code == 429 or error.code >= 500:
            raise _Transient(f"HTTP {error.code}") from None
        raise SendError(f"HTTP {error.code}", error.code, body) from None
    except (OSError, http.client.HTTPException) as error:
        raise _Transient(_reason(error, timeout)) from None


def _read(error: urllib.error.HTTPError) -> bytes:
    try:
        return error.read(MAX_ANSWER)
    except (OSError, http.client.HTTPException):
        return b""


def _reason(error: BaseException, timeout: float) -> str:
    """Why an attempt got no answer, in words that never hold the URL."""
    cause = error.reason if isinstance(error, urllib.error.URLError) else error
    if isinstance(cause, TimeoutError):
        return f"no answer within {timeout:g} s"
    if isinstance(cause, http.client.HTTPException):
        return f"the connection broke: {type(cause).__name__}"
    if isinstance(cause, OSError) and cause.strerror:
        return f"cannot connect: {cause.strerror}"
    return f"cannot connect: {cause or type(cause).__name__}"
