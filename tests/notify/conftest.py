"""Fixtures of the notify tests: a chat server on 127.0.0.1, and a quick transport.

`chat` is a `ChatServer` (chatserver.py) on a free port. `transport(...)`
sends with a small timeout and no real sleep: it records the delays it was
asked to wait in `slept`, and signs at a fixed moment (`NOW`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

import pytest
from chatserver import ChatServer
from notifyruns import NOW

from tagctl.notify.deliver import Transport
from tagctl.notify.send import Policy


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """Requests to 127.0.0.1 go straight there, whatever proxy this machine has."""
    monkeypatch.setenv("no_proxy", "*")


@pytest.fixture
def chat() -> Iterator[ChatServer]:
    with ChatServer() as server:
        yield server


@pytest.fixture
def slept() -> list[float]:
    return []


@pytest.fixture
def transport(slept: list[float]) -> Callable[..., Transport]:
    def make(environ: Mapping[str, str], timeout: float = 2.0) -> Transport:
        policy = Policy(timeout=timeout, delays=(0.5, 1.0), sleep=slept.append)
        return Transport(policy=policy, environ=environ, clock=lambda: NOW)

    return make
