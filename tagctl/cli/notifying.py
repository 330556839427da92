"""`--notify` and `--notify-on` of `tagctl kpi` and `tagctl report`: the run's headline in
the team's chat, after the run; a failed message is a warning, never the exit code."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from tagctl.catalog.notifyconfig import THRESHOLDS
from tagctl.cli import verbose
from tagctl.errors import UsageError
from tagctl.textsafe import printable

if TYPE_CHECKING:
    from tagctl.catalog.config import Config
    from tagctl.catalog.notifyconfig import Channel
    from tagctl.kpi.result import KpiRun

NotifyOption = typer.Option(
    "--notify",
    metavar="NAMES",
    help="After the run, post its headline to these chats of `notify` in tagctl.yaml"
    " (repeatable or comma-separated). A failed post is a warning: the exit code stays the run's.",
)
NotifyOnOption = typer.Option(
    "--notify-on",
    metavar="LEVEL",
    help="Post only when the run's highest level reaches LEVEL: alert, warning or always"
    " (default: notify.<name>.on, else alert).",
)


def check_notify_on(names: Sequence[str], on: str | None) -> None:
    """Refuse a bad `--notify-on`, and one without `--notify`, before any work."""
    if on is not None and on not in THRESHOLDS:
        raise UsageError(f"--notify-on: '{on}' is not alert, warning or always")
    if on is not None and not names:
        raise UsageError("--notify-on goes with --notify NAME")


def notify_channels(config: Config, names: Sequence[str]) -> list[Channel]:
    """The channels `--notify` names; a usage error (exit 2) for a name not configured."""
    if not names:
        return []
    from tagctl.notify.deliver import chosen  # lazy: only a run that notifies needs it

    return chosen(config, names)


def announce(
    config: Config,
    channels: Sequence[Channel],
    run: KpiRun,
    command: str,
    on: str | None,
    lang: str | None = None,
    run_id: str | None = None,
    report: Path | None = None,
) -> None:
    """Post the headline of `run` to `channels`; a warning on stderr for each that failed."""
    if not channels:
        return
    # lazy: HTTP, the services and the report's words only for a run that notifies
    from tagctl.kpi.masking import scrub
    from tagctl.notify.deliver import announce as send
    from tagctl.notify.headline import Occasion

    chosen = lang or str((config.sections.get("report") or {}).get("lang", "zh"))
    occasion = Occasion(run, config.name, command, chosen, run_id, report)
    for outcome in send(channels, occasion, on):
        for note in outcome.notes if verbose() else ():
            sys.stderr.write(f"tagctl: notify '{outcome.channel}': {printable(scrub(note))}\n")
        if outcome.problem is not None:
            problem = printable(scrub(outcome.problem))
            sys.stderr.write(f"tagctl: warning: notify '{outcome.channel}': {problem}\n")
