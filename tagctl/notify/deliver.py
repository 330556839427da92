"""Announcing a run to the chosen channels: never an exception, one outcome per channel.

A channel is due when the run's highest level reaches its threshold
(`--notify-on`, else the channel's `on`, else `alert`): `always` sends
every run, `warning` a run with a warning or an alert, `alert` a run with
an alert. Whatever happens to a message (a variable not set, no answer, an
error answer) is an outcome with a problem for the command to show as a
warning: a chat that is down never changes a KPI run, its exit code, or
what it saved and wrote. Every text of an outcome has the channel's
credentials scrubbed out.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from tagctl.catalog.config import Config
from tagctl.catalog.notifyconfig import Channel
from tagctl.errors import UsageError
from tagctl.kpi.masking import remember_values, scrub
from tagctl.notify.credentials import Credentials, Unset, credentials
from tagctl.notify.headline import Occasion, headline
from tagctl.notify.registry import SERVICES
from tagctl.notify.send import Policy, SendError, post_json
from tagctl.notify.service import Service, short


@dataclass(frozen=True)
class Outcome:
    channel: str
    problem: str | None = None  # why the message did not reach the chat: a warning
    notes: tuple[str, ...] = ()  # what happened, for --verbose


@dataclass(frozen=True)
class Transport:
    """How messages go out: the HTTP policy, the environment, the clock of signatures."""

    policy: Policy = field(default_factory=Policy)
    environ: Mapping[str, str] = field(default_factory=lambda: os.environ)
    clock: Callable[[], float] = time.time


def chosen(config: Config, names: Sequence[str]) -> list[Channel]:
    """The channels `--notify` names, in order; a usage error for a name not configured."""
    unknown = [name for name in names if name not in config.notify]
    if unknown:
        known = ", ".join(sorted(config.notify)) or "none: add a notify section to tagctl.yaml"
        raise UsageError(
            f"--notify: no channel '{unknown[0]}' in tagctl.yaml (configured: {known})"
        )
    return [config.notify[name] for name in dict.fromkeys(names)]


def due(level: str | None, on: str) -> bool:
    """Whether a run whose highest level is `level` reaches the threshold `on`."""
    return on == "always" or level == "alert" or (level == "warning" and on == "warning")


def announce(
    channels: Sequence[Channel],
    occasion: Occasion,
    on: str | None = None,
    transport: Transport | None = None,
) -> list[Outcome]:
    """Send the headline of `occasion` to each due channel; `on` overrides their `on`."""
    sending = transport or Transport()
    return [_announce(channel, occasion, on or channel.on, sending) for channel in channels]


def _announce(channel: Channel, occasion: Occasion, on: str, transport: Transport) -> Outcome:
    level = occasion.run.level()
    if not due(level, on):
        reached = f"the run's highest level is {level}" if level else "no tag has an alert"
        return Outcome(channel.name, notes=(f"not sent: {reached}, and it sends on {on}",))
    hidden: frozenset[str] = frozenset()
    try:
        found = credentials(channel, transport.environ)
        hidden = found.hidden
        remember_values(hidden)  # for the error handler too, should anything escape
        return _send(channel, occasion, found, transport)
    except Unset as unset:
        return Outcome(channel.name, f"{unset}; nothing was sent")
    except Exception as error:  # a chat never fails the run; say what went wrong instead
        problem = scrub(f"{type(error).__name__}: {error}", hidden)
        return Outcome(channel.name, f"internal error: {problem}; nothing was sent")


def _send(
    channel: Channel, occasion: Occasion, found: Credentials, transport: Transport
) -> Outcome:
    service = SERVICES[channel.service]
    url, body = found.url, service.payload(headline(occasion, channel.report_url))
    if found.secret is not None and service.sign is not None:
        url, body = service.sign(url, body, found.secret, transport.clock())
    try:
        delivery = post_json(url, body, transport.policy)
    except SendError as failure:
        notes = _retries(failure.tries, found)
        return Outcome(channel.name, scrub(_failure(service, failure), found.hidden), notes)
    retried = _retries(delivery.retries, found)
    refused = service.problem(delivery.body)
    if refused is not None:
        problem = f"{service.title} refused the message: {refused}"
        return Outcome(channel.name, scrub(problem, found.hidden), retried)
    return Outcome(channel.name, notes=(*retried, f"sent to {found.shown} ({service.title})"))


def _retries(reasons: Sequence[str], found: Credentials) -> tuple[str, ...]:
    return tuple(
        scrub(f"attempt {n} failed: {why}", found.hidden) for n, why in enumerate(reasons, 1)
    )


def _failure(service: Service, failure: SendError) -> str:
    """The warning of a message that got no 2xx answer."""
    if failure.status is None:
        return f"{failure.reason}; nothing was sent"
    if not failure.body.strip():
        return f"{service.title} answered {failure.reason}"
    detail = service.problem(failure.body) or short(failure.body)
    return f"{service.title} answered {failure.reason}: {detail}"
