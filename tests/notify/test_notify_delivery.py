"""What happens to a message that does not get through: retries, timeouts, errors, secrets.

The chat server answers from a script and counts the attempts; the
transport sleeps not at all but records the delays it was asked for. No
outcome is ever an exception: each failure is a problem for a warning.
"""

from __future__ import annotations

import dataclasses
import socket
from collections.abc import Callable
from typing import Any

import pytest
from chatserver import OK_ERRCODE, SUCCESS, Answer, ChatServer
from notifyruns import occasion, run_of

from tagctl.catalog.notifyconfig import Channel
from tagctl.notify import deliver as deliver_module
from tagctl.notify.deliver import Outcome, Transport, announce, due
from tagctl.notify.registry import SERVICES
from tests.report.documents import alert, tag_kpi

MakeTransport = Callable[..., Transport]
KEY = "693a91f6-7a8b-4c5d-9e0f-abcdef012345"
PATH_TOKEN = "T0ABCDEF1/B0GHIJKL2/Xyz0123456789abcdefGHIJ"


def deliver(
    transport: MakeTransport,
    service: str,
    url: str,
    *,
    on: str = "always",
    secret: str | None = None,
    timeout: float = 2.0,
    **environ: str,
) -> Outcome:
    channel = Channel("ops", service, "${CHAT_URL}", "${CHAT_SECRET}" if secret else None, on)
    env = {"CHAT_URL": url, **({"CHAT_SECRET": secret} if secret else {}), **environ}
    [outcome] = announce([channel], occasion(), transport=transport(env, timeout=timeout))
    return outcome


def test_5xx_then_success_is_retried_with_backoff(
    chat: ChatServer, transport: MakeTransport, slept: list[float]
) -> None:
    chat.answer(Answer(500, "busy"), Answer(503, "busy"), Answer(body=OK_ERRCODE))
    outcome = deliver(transport, "wecom", chat.url())
    assert outcome.problem is None
    assert len(chat.received) == 3 and slept == [0.5, 1.0]
    assert outcome.notes[:2] == ("attempt 1 failed: HTTP 500", "attempt 2 failed: HTTP 503")


def test_429_is_retried_and_three_failures_give_up(
    chat: ChatServer, transport: MakeTransport, slept: list[float]
) -> None:
    chat.answer(Answer(429, "slow down"))
    outcome = deliver(transport, "slack", chat.url())
    assert len(chat.received) == 3 and slept == [0.5, 1.0]
    assert outcome.problem == "HTTP 429 (3 attempts); nothing was sent"


def test_a_4xx_is_not_retried_and_shows_the_service_words(
    chat: ChatServer, transport: MakeTransport, slept: list[float]
) -> None:
    chat.answer(Answer(404, "no_service"))
    outcome = deliver(transport, "slack", chat.url())
    assert len(chat.received) == 1 and slept == []
    assert outcome.problem == "Slack answered HTTP 404: no_service"


def test_no_answer_within_the_timeout_is_retried(
    chat: ChatServer, transport: MakeTransport, slept: list[float]
) -> None:
    chat.answer(Answer(stall=True))
    outcome = deliver(transport, "wecom", chat.url(), timeout=0.2)
    assert len(chat.received) == 3 and slept == [0.5, 1.0]
    assert outcome.problem == "no answer within 0.2 s (3 attempts); nothing was sent"


def test_a_refused_connection_is_retried(transport: MakeTransport, slept: list[float]) -> None:
    with socket.socket() as closed:  # a port that was free a moment ago, and nobody listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    outcome = deliver(transport, "webhook", f"http://127.0.0.1:{port}/hook")
    assert slept == [0.5, 1.0]
    assert outcome.problem is not None and outcome.problem.startswith("cannot connect: ")


def test_a_redirect_is_not_followed(chat: ChatServer, transport: MakeTransport) -> None:
    elsewhere = chat.url("/elsewhere")
    chat.answer(Answer(302, "", headers=(("Location", elsewhere),)), Answer(body=OK_ERRCODE))
    outcome = deliver(transport, "wecom", chat.url("/hook", f"key={KEY}"))
    assert [request.path for request in chat.received] == ["/hook"]
    assert outcome.problem is not None and "HTTP 302" in outcome.problem


ERROR_ANSWERS: list[tuple[str, Any, str]] = [
    (
        "wecom",
        {"errcode": 93000, "errmsg": "invalid webhook url, hint: [1700000000_1]"},
        "WeCom refused the message: invalid webhook url, hint: [1700000000_1] (errcode 93000)",
    ),
    (
        "dingtalk",
        {"errcode": 310000, "errmsg": "sign not match"},
        "DingTalk refused the message: sign not match (errcode 310000)",
    ),
    (
        "feishu",
        {"code": 19021, "msg": "sign match fail or timestamp is not within one hour"},
        "Feishu refused the message: sign match fail or timestamp is not within one hour"
        " (code 19021)",
    ),
    ("slack", "invalid_token", "Slack refused the message: invalid_token"),
    ("wecom", "<html>gateway</html>", "WeCom refused the message: an answer without errcode"),
]


@pytest.mark.parametrize(("service", "body", "problem"), ERROR_ANSWERS)
def test_an_error_in_a_200_answer_is_a_failure(
    service: str, body: Any, problem: str, chat: ChatServer, transport: MakeTransport
) -> None:
    chat.answer(Answer(200, body))
    outcome = deliver(transport, service, chat.url(), secret="s3cr3t-value")
    assert outcome.problem is not None and outcome.problem.startswith(problem)
    assert len(chat.received) == 1  # the service said no: asking again would not help


def test_secrets_are_masked_in_problems_and_notes(
    chat: ChatServer, transport: MakeTransport
) -> None:
    leaked = f"bad key {KEY} for /services/{PATH_TOKEN}, secret SECdeadbeef99"
    chat.answer(Answer(500, "busy"), Answer(200, {"errcode": 93000, "errmsg": leaked}))
    url = chat.url(f"/services/{PATH_TOKEN}", f"key={KEY}")
    outcome = deliver(transport, "dingtalk", url, secret="SECdeadbeef99")
    shown = " ".join([outcome.problem or "", *outcome.notes])
    assert "errcode 93000" in shown and "***" in shown
    for secret in (KEY, PATH_TOKEN, "SECdeadbeef99", "Xyz0123456789abcdefGHIJ"):
        assert secret not in shown


def test_success_notes_show_the_host_only(chat: ChatServer, transport: MakeTransport) -> None:
    chat.answer(Answer(body=SUCCESS["feishu"]))
    outcome = deliver(transport, "feishu", chat.url(f"/open-apis/bot/v2/hook/{KEY}"))
    assert outcome.problem is None
    assert outcome.notes == (f"sent to http://127.0.0.1:{chat.port}/*** (Feishu)",)


@pytest.mark.parametrize(
    ("environ", "problem"),
    [
        ({}, "${CHAT_URL} is not set; nothing was sent"),
        ({"CHAT_URL": "  "}, "${CHAT_URL} is empty; nothing was sent"),
        ({"CHAT_URL": "file:///etc/passwd"}, "${CHAT_URL} does not hold an http(s) URL"),
        ({"CHAT_URL": "http://127.0.0.1:port/hook"}, "${CHAT_URL} does not hold an http(s) URL"),
    ],
)
def test_a_variable_without_a_url_is_a_problem_naming_it(
    environ: dict[str, str], problem: str, transport: MakeTransport, chat: ChatServer
) -> None:
    channel = Channel("ops", "wecom", "${CHAT_URL}", on="always")
    [outcome] = announce([channel], occasion(), transport=transport(environ))
    assert outcome.problem is not None and outcome.problem.startswith(problem)
    assert chat.received == []


def test_a_missing_secret_names_its_variable(chat: ChatServer, transport: MakeTransport) -> None:
    channel = Channel("ops", "dingtalk", "${CHAT_URL}", "${DING_SECRET}", "always")
    [outcome] = announce([channel], occasion(), transport=transport({"CHAT_URL": chat.url()}))
    assert outcome.problem == "${DING_SECRET} is not set; nothing was sent"


@pytest.mark.parametrize(
    ("level", "on", "sent"),
    [
        ("alert", "alert", True),
        ("warning", "alert", False),
        (None, "alert", False),
        ("alert", "warning", True),
        ("warning", "warning", True),
        (None, "warning", False),
        ("alert", "always", True),
        ("warning", "always", True),
        (None, "always", True),
    ],
)
def test_thresholds(
    level: str | None, on: str, sent: bool, chat: ChatServer, transport: MakeTransport
) -> None:
    assert due(level, on) is sent
    alerts = [alert("stale", level)] if level else []
    run = run_of(some_tag=tag_kpi(alerts=alerts))
    channel = Channel("ops", "wecom", "${CHAT_URL}", on="alert")
    env = transport({"CHAT_URL": chat.url()})
    [outcome] = announce([channel], occasion(run), on=on, transport=env)  # --notify-on wins
    assert (len(chat.received) == 1) is sent and outcome.problem is None


def test_the_channel_threshold_applies_without_notify_on(
    chat: ChatServer, transport: MakeTransport
) -> None:
    warned = run_of(some_tag=tag_kpi(alerts=[alert("zombie", "warning")]))
    channels = [
        Channel("strict", "wecom", "${CHAT_URL}", on="alert"),
        Channel("chatty", "wecom", "${CHAT_URL}", on="warning"),
    ]
    outcomes = announce(channels, occasion(warned), transport=transport({"CHAT_URL": chat.url()}))
    assert len(chat.received) == 1
    assert outcomes[0].notes and outcomes[0].notes[0].startswith("not sent: ")
    assert outcomes[1].notes[-1].startswith("sent to ")


def test_a_fault_inside_tagctl_is_an_outcome_not_an_exception(
    chat: ChatServer, transport: MakeTransport, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(headline: object) -> dict[str, object]:
        raise KeyError(f"key={KEY}")

    faulty = dataclasses.replace(SERVICES["wecom"], payload=broken)
    monkeypatch.setattr(deliver_module, "SERVICES", {**SERVICES, "wecom": faulty})
    outcome = deliver(transport, "wecom", chat.url("/hook", f"key={KEY}"))
    assert outcome.problem is not None and outcome.problem.startswith("internal error: KeyError")
    assert KEY not in outcome.problem and chat.received == []
