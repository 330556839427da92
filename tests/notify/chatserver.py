"""A chat service on 127.0.0.1 for the notify tests: it keeps every POST and answers from a script.

`ChatServer.answer(...)` queues the answers, used in order, the last one
again for every later request; an answer with `stall=True` holds the
request without a word until the test ends, as a server that stopped
answering. `received` lists what came in: path, query, headers, body.
"""

from __future__ import annotations

import http.server
import json
import threading
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

OK_ERRCODE = {"errcode": 0, "errmsg": "ok"}
# What each service answers a message it took, as its documentation shows.
SUCCESS: dict[str, Any] = {
    "wecom": OK_ERRCODE,
    "dingtalk": OK_ERRCODE,
    "feishu": {"code": 0, "msg": "success", "data": {}},
    "slack": "ok",
    "webhook": "",
}


@dataclass(frozen=True)
class Answer:
    status: int = 200
    body: Any = field(default_factory=lambda: OK_ERRCODE)  # a dict is sent as JSON, text as is
    stall: bool = False
    headers: tuple[tuple[str, str], ...] = ()

    def data(self) -> bytes:
        if isinstance(self.body, (dict, list)):
            return json.dumps(self.body).encode("utf-8")
        return self.body.encode("utf-8") if isinstance(self.body, str) else bytes(self.body)


@dataclass(frozen=True)
class Received:
    path: str
    raw_query: str
    headers: dict[str, str]
    body: bytes

    @property
    def query(self) -> dict[str, str]:
        return {key: values[-1] for key, values in parse_qs(self.raw_query).items()}

    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8"))


class ChatServer:
    def __init__(self) -> None:
        self.received: list[Received] = []
        self._answers: list[Answer] = [Answer()]
        self._release = threading.Event()
        self._lock = threading.Lock()
        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._server.chat = self  # type: ignore[attr-defined]
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def url(self, path: str = "/hook", query: str = "") -> str:
        return f"http://127.0.0.1:{self.port}{path}" + (f"?{query}" if query else "")

    def answer(self, *answers: Answer) -> None:
        self._answers = list(answers)

    def next_answer(self, request: Received) -> Answer:
        with self._lock:
            self.received.append(request)
            return self._answers.pop(0) if len(self._answers) > 1 else self._answers[0]

    def wait_released(self) -> None:
        self._release.wait(30)  # bounded: a forgotten stall cannot hang the run

    def __enter__(self) -> ChatServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._release.set()
        self._server.shutdown()
        self._server.server_close()


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        chat: ChatServer = self.server.chat  # type: ignore[attr-defined]
        size = int(self.headers.get("Content-Length") or 0)
        parts = urlsplit(self.path)
        request = Received(parts.path, parts.query, dict(self.headers), self.rfile.read(size))
        answer = chat.next_answer(request)
        if answer.stall:
            chat.wait_released()
            return
        data = answer.data()
        self.send_response(answer.status)
        for name, value in answer.headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # quiet
