"""An end to every warehouse call, whether or not the server answers.

Drivers bound what they can (connect, socket and statement timeouts: see
`tagctl.kpi.database`), but a server that stops answering in the middle of
a statement leaves a driver waiting on its socket for ever: a server-side
statement timeout cannot reach the client once the network is gone. A
`Watchdog` ends a call that outlives its deadline:

1. it interrupts an embedded engine (DuckDB, SQLite), or shuts the socket of
   a network connection down, so that the driver's wait ends at once;
2. when that did not end the call within a second (a driver without a
   socket to reach, one that blocks in Python such as an HTTP client), it
   raises in the main thread through SIGALRM, where signals are available
   and the application does not use SIGALRM itself.

The call then raises `Cut`, which says what the watchdog did and when.
"""

from __future__ import annotations

import os
import signal
import socket
import threading
import time
from collections.abc import Callable
from contextlib import suppress
from types import FrameType, TracebackType
from typing import Any

from sqlalchemy.engine import URL
from sqlalchemy.exc import SQLAlchemyError

BACKSTOP = 1.0  # seconds between the first action and the signal
DEFAULT_PORTS = {
    "postgresql": 5432,
    "mysql": 3306,
    "mariadb": 3306,
    "starrocks": 9030,
    "hive": 10000,
}


class Cut(SQLAlchemyError):
    """A call the watchdog ended: `how` (interrupt, socket, signal), `after` seconds."""

    def __init__(self, how: str, after: float) -> None:
        super().__init__(f"ended by the watchdog ({how}) after {after:.1f} s")
        self.how = how
        self.after = after


class _Alarm(BaseException):
    """Raised by the SIGALRM handler in the main thread (not an Exception: nothing swallows it)."""


class Watchdog:
    """Ends the calls inside `with Watchdog(...)` that outlive `deadline` seconds.

    `raw` is the DBAPI connection whose socket can be shut down;
    `interrupt` stops an embedded engine's statement.
    """

    def __init__(
        self,
        deadline: float,
        raw: Any = None,
        interrupt: Callable[[], None] | None = None,
    ) -> None:
        self.deadline = deadline
        self._raw = raw
        self._interrupt = interrupt
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._how: str | None = None
        self._started = 0.0
        self._timer = threading.Timer(deadline, self._fire)
        self._timer.daemon = True
        self._main: int | None = None  # the thread to signal, when signals can be used

    def __enter__(self) -> Watchdog:
        self._arm_signal()
        self._started = time.monotonic()
        self._timer.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._done.set()  # first: from now on the signal handler does nothing
        with self._lock:  # and the timer is not in the middle of acting
            self._timer.cancel()
        if self._main is not None:
            signal.signal(signal.SIGALRM, signal.SIG_DFL)
        if self._how is not None and isinstance(error, (Exception, _Alarm)):
            raise Cut(self._how, time.monotonic() - self._started) from error

    def _arm_signal(self) -> None:
        if not hasattr(signal, "pthread_kill"):
            return  # Windows: the first action is all there is
        if threading.current_thread() is not threading.main_thread():
            return
        if signal.getsignal(signal.SIGALRM) is not signal.SIG_DFL:
            return  # the application has its own use for SIGALRM
        signal.signal(signal.SIGALRM, self._on_alarm)
        self._main = threading.get_ident()

    def _on_alarm(self, signum: int, frame: FrameType | None) -> None:
        if not self._done.is_set():
            raise _Alarm()

    def _fire(self) -> None:
        """In the timer's thread: end the call, then signal if that did not work."""
        with self._lock:
            if self._done.is_set():
                return
            acted = self._act()
        if acted and self._done.wait(BACKSTOP):
            return
        with self._lock:
            if self._done.is_set() or self._main is None:
                return
            self._how = "signal"
            signal.pthread_kill(self._main, signal.SIGALRM)

    def _act(self) -> bool:
        if self._interrupt is not None:
            self._how = "interrupt"
            with suppress(Exception):
                self._interrupt()
            return True
        if sever(self._raw):
            self._how = "socket"
            return True
        return False


def sever(raw: Any) -> bool:
    """Shut the socket of DBAPI connection `raw` down (a blocked read returns at once)."""
    fileno = getattr(raw, "fileno", None)
    if not callable(fileno):
        return False
    try:
        with socket.socket(fileno=os.dup(fileno())) as sock:
            sock.shutdown(socket.SHUT_RDWR)
    except (OSError, ValueError, TypeError):
        return False
    return True


def silence(url: URL, after: float) -> str:
    """What a connection attempt that got no answer for `after` seconds met."""
    seconds = f"{after:.0f} s"
    host, port = url.host, url.port or DEFAULT_PORTS.get(url.get_backend_name())
    if not host or not port:
        return f"no answer from the server within {seconds}"
    try:
        with socket.create_connection((host, port), timeout=BACKSTOP):
            pass
    except TimeoutError:
        return f"{host}:{port} did not accept the connection within {seconds}"
    except OSError:
        return f"no answer from the server within {seconds}"
    return f"the server accepted the connection but did not answer within {seconds}"
