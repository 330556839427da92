"""The `notify` section of tagctl.yaml: typed channels, and what a load refuses, where.

A webhook URL or a secret written out is refused with its file, line and
column, and the message never repeats the value.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tagctl.catalog.config import load_catalog_config
from tagctl.catalog.notifyconfig import Channel
from tagctl.errors import ConfigError

KEY = "693a91f6-7a8b-4c5d-9e0f-abcdef012345"


def with_notify(catalog: Path, section: str, file: str = "tagctl.yaml") -> tuple[Path, int]:
    """`section` appended to `file` of `catalog`: the file, and the line `section` starts on."""
    path = catalog / file
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    path.write_text(text + section, encoding="utf-8")
    return path, text.count("\n") + 1


def test_channels_load_typed(sample_catalog: Path) -> None:
    with_notify(
        sample_catalog,
        "notify:\n"
        "  ops: {type: wecom, url: '${WECOM_WEBHOOK}'}\n"
        "  ding:\n"
        "    type: dingtalk\n"
        "    url: ${DING_WEBHOOK}\n"
        "    secret: ${DING_SECRET}\n"
        "    on: warning\n"
        "    report_url: https://reports.example.com/tags-{date}.html\n",
    )
    config = load_catalog_config(sample_catalog)
    assert dict(config.notify) == {
        "ops": Channel("ops", "wecom", "${WECOM_WEBHOOK}"),
        "ding": Channel(
            "ding",
            "dingtalk",
            "${DING_WEBHOOK}",
            "${DING_SECRET}",
            "warning",
            "https://reports.example.com/tags-{date}.html",
        ),
    }
    assert dict(load_catalog_config(sample_catalog).notify) == dict(config.notify)  # cached


def test_no_notify_section_is_no_channel(sample_catalog: Path) -> None:
    assert dict(load_catalog_config(sample_catalog).notify) == {}


BAD = [
    (
        "  ops: {type: wecom, url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key="
        + KEY
        + "'}\n",
        "2:27",
        "notify.ops.url: a webhook URL is a credential: write the name of the environment"
        " variable that holds it, like ${OPS_WEBHOOK}, not the value",
    ),
    (
        "  ding-robot:\n    type: dingtalk\n    url: ${DING}\n    secret: SEC" + KEY + "\n",
        "5:13",
        "notify.ding-robot.secret: a signing secret is a credential: write the name of the"
        " environment variable that holds it, like ${DING_ROBOT_SECRET}, not the value",
    ),
    (
        "  team: {type: slack, url: '${SLACK}', secret: '${SLACK_SECRET}'}\n",
        "2:48",
        "notify.team.secret: slack signs nothing; only dingtalk and feishu take a secret",
    ),
    (
        "  team: {type: slack, url: '${SLACK}', report_url: 'https://r.example.com/{day}.html'}\n",
        "2:52",
        "notify.team.report_url: unknown placeholder {day}; use {date} or {datetime}",
    ),
    (
        "  team: {type: slack, url: '${SLACK}', channel: '#data'}\n",
        "2:40",
        "unknown field 'channel' in notify.team",
    ),
    ("  team: {type: teams, url: '${TEAMS}'}\n", "2:16", "notify.team.type: 'teams' is not one of"),
    ("  team: {type: slack, on: never}\n", "2:3", "missing required field 'url' in notify.team"),
]


@pytest.mark.parametrize(("entry", "at", "message"), BAD)
def test_what_a_load_refuses(entry: str, at: str, message: str, sample_catalog: Path) -> None:
    path, first = with_notify(sample_catalog, "notify:\n" + entry)
    with pytest.raises(ConfigError) as raised:
        load_catalog_config(sample_catalog)
    line, column = (int(part) for part in at.split(":"))
    assert str(raised.value).startswith(f"{path}:{first + line - 1}:{column}: {message}")
    assert KEY not in str(raised.value)


def test_a_literal_in_the_config_overlay_names_the_overlay(sample_catalog: Path) -> None:
    overlay, _ = with_notify(
        sample_catalog,
        "notify:\n  ops: {type: webhook, url: 'https://x.example/h/" + KEY + "'}\n",
        "ci.yaml",
    )
    with pytest.raises(ConfigError) as raised:
        load_catalog_config(sample_catalog, overlay)
    assert str(raised.value).startswith(f"{overlay}:2:29: notify.ops.url: a webhook URL")
    assert KEY not in str(raised.value)
