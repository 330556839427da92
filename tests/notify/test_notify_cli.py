"""`tagctl kpi --notify` and `tagctl report --notify` end to end, on the demo warehouse.

A real tagctl process measures the 3,000-user demo warehouse of the sample
catalog and posts to the chat server of the test. Whatever the chat does,
the exit code is the run's own, the report and the saved run are there, and
no secret reaches the output.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path

import pytest
from chatserver import SUCCESS, Answer, ChatServer
from clihelpers import copy_catalog, describe, no_traceback, run_tagctl

from tagctl.catalog.config import load_catalog_config
from tagctl.catalog.tags import load_tags
from tagctl.demo import build_demo
from tests.test_demo import AS_OF

NOTIFY = """
notify:
  ops: {type: wecom, url: '${TEST_WECOM_URL}'}
  team: {type: slack, url: '${TEST_SLACK_URL}', on: warning}
  ding: {type: dingtalk, url: '${TEST_DING_URL}', secret: '${TEST_DING_SECRET}'}
  hook:
    type: webhook
    url: ${TEST_HOOK_URL}
    on: always
    report_url: https://reports.example.com/tags-{date}.html
"""
KEY = "693a91f6-7a8b-4c5d-9e0f-abcdef012345"
DATE = AS_OF.date().isoformat()


@pytest.fixture(scope="module")
def demo_catalog(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample catalog with its demo warehouse (3,000 users) and the channels of NOTIFY."""
    root = copy_catalog(tmp_path_factory.mktemp("notify") / "tag-catalog")
    tags, _ = load_tags(load_catalog_config(root))
    build_demo(tags, root / ".tagctl" / "demo.duckdb", users=3000, seed=7, as_of=AS_OF)
    with (root / "tagctl.yaml").open("a", encoding="utf-8") as config:
        config.write(NOTIFY)
    return root


@pytest.fixture
def catalog(demo_catalog: Path, tmp_path: Path) -> Path:
    """A copy of the demo catalog of its own: a test that saves runs changes no other."""
    return Path(shutil.copytree(demo_catalog, tmp_path / "tag-catalog"))


def env_for(chat: ChatServer, **extra: str | None) -> dict[str, str | None]:
    return {
        "no_proxy": "*",
        "TEST_WECOM_URL": chat.url("/cgi-bin/webhook/send", f"key={KEY}"),
        "TEST_SLACK_URL": chat.url(f"/services/T0ABC1234/B0DEF5678/{KEY}"),
        "TEST_DING_URL": chat.url("/robot/send", f"access_token={KEY}"),
        "TEST_DING_SECRET": "SEC" + KEY,
        "TEST_HOOK_URL": chat.url("/hook"),
        **extra,
    }


def tagctl(
    catalog: Path, *args: str, env: Mapping[str, str | None]
) -> subprocess.CompletedProcess[str]:
    result = run_tagctl(*args[:1], "-C", catalog, "--as-of", DATE, *args[1:], env=env)
    no_traceback(result)
    for secret in (KEY, "SEC" + KEY):
        assert secret not in result.stdout + result.stderr, describe(result)
    return result


def test_kpi_posts_the_headline_of_the_run(catalog: Path, chat: ChatServer) -> None:
    chat.answer(Answer(body=SUCCESS["wecom"]))
    result = tagctl(catalog, "kpi", "--format", "json", "--notify", "ops", env=env_for(chat))
    assert result.returncode == 0 and result.stderr == "", describe(result)
    document = json.loads(result.stdout)
    alerting = sum(
        any(a["level"] == "alert" for a in kpi["alerts"]) for kpi in document["tags"].values()
    )
    [request] = chat.received
    assert request.path == "/cgi-bin/webhook/send" and request.query == {"key": KEY}
    content = request.json()["markdown"]["content"]
    assert f"告警标签 {alerting} 个" in content  # report.lang of the sample is zh
    assert f"共统计 {len(document['tags'])} 个" in content
    assert "报告" not in content  # kpi writes no report


def test_a_failing_chat_keeps_the_run_exit_code(catalog: Path, chat: ChatServer) -> None:
    chat.answer(Answer(200, {"errcode": 93000, "errmsg": f"invalid webhook url key={KEY}"}))
    env = env_for(chat)
    result = tagctl(catalog, "kpi", "--save", "--fail-on", "alert", "--notify", "ops", env=env)
    assert result.returncode == 1, describe(result)  # the alerts' own exit code
    assert "tagctl: warning: notify 'ops': WeCom refused the message: invalid webhook url" in (
        result.stderr
    )
    assert "tagctl: saved run " in result.stderr and result.stdout  # the run is whole
    chat.received.clear()
    chat.answer(Answer(404, "no_service"))
    result = tagctl(catalog, "kpi", "--notify", "team", env=env)
    assert result.returncode == 0, describe(result)
    assert result.stderr == "tagctl: warning: notify 'team': Slack answered HTTP 404: no_service\n"
    assert len(chat.received) == 1  # a 4xx is not retried


def test_report_posts_its_link_and_keeps_the_page(
    catalog: Path, chat: ChatServer, tmp_path: Path
) -> None:
    chat.answer(Answer(body=SUCCESS["webhook"]))
    out = tmp_path / "reports" / "tags-{date}.html"
    env = env_for(chat)
    args = ("report", "--out", str(out), "--lang", "en", "--save", "--notify", "hook")
    result = tagctl(catalog, *args, env=env)
    written = tmp_path / "reports" / f"tags-{DATE}.html"
    assert result.returncode == 0 and result.stdout.strip() == str(written), describe(result)
    body = chat.received[0].json()
    assert body["command"] == "report" and body["lang"] == "en"
    assert body["report_url"] == f"https://reports.example.com/tags-{DATE}.html"
    assert body["report_path"] == str(written)
    assert re.fullmatch(r"[0-9a-f]{32}", body["run_id"] or "")
    assert f"tagctl: saved run {body['run_id']} to " in result.stderr
    assert f"[{body['report_url']}]({body['report_url']})" in body["text"]


def test_report_written_even_when_the_chat_is_down(
    catalog: Path, chat: ChatServer, tmp_path: Path
) -> None:
    chat.answer(Answer(401, {"errcode": 310000, "errmsg": "sign not match"}))
    out = tmp_path / "r.html"
    args = ("report", "--out", str(out), "--fail-on", "alert", "--notify", "ding")
    result = tagctl(catalog, *args, env=env_for(chat))
    assert result.returncode == 1 and out.is_file(), describe(result)
    assert "notify 'ding': DingTalk answered HTTP 401: sign not match (errcode 310000)" in (
        result.stderr
    )
    [request] = chat.received
    assert set(request.query) == {"access_token", "timestamp", "sign"}


def test_an_unset_variable_is_a_warning(catalog: Path, chat: ChatServer) -> None:
    env = env_for(chat, TEST_WECOM_URL=None)
    result = tagctl(catalog, "kpi", "--notify", "ops,hook", env=env)
    assert result.returncode == 0, describe(result)
    assert result.stderr == (
        "tagctl: warning: notify 'ops': ${TEST_WECOM_URL} is not set; nothing was sent\n"
    )
    assert [request.path for request in chat.received] == ["/hook"]  # the others still go


def test_verbose_says_what_happened_without_secrets(catalog: Path, chat: ChatServer) -> None:
    chat.answer(Answer(500, f"down, key={KEY}"), Answer(body=SUCCESS["slack"]))
    result = run_tagctl(
        "--verbose", "kpi", "-C", catalog, "--as-of", DATE, "--notify", "team", env=env_for(chat)
    )
    assert result.returncode == 0, describe(result)
    assert result.stderr.splitlines() == [
        "tagctl: notify 'team': attempt 1 failed: HTTP 500",
        f"tagctl: notify 'team': sent to http://127.0.0.1:{chat.port}/*** (Slack)",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--notify", "pager"), "--notify: no channel 'pager' in tagctl.yaml (configured: ding,"),
        (("--notify", "ops", "--notify-on", "never"), "--notify-on: 'never' is not alert, warning"),
        (
            (
                "--notify-on",
                "warning",
            ),
            "--notify-on goes with --notify NAME",
        ),
        (("--notify", "ops", "--show-sql"), "there is no run to --notify about"),
    ],
)
def test_usage_errors_before_any_work(
    args: tuple[str, ...], message: str, catalog: Path, chat: ChatServer
) -> None:
    result = tagctl(catalog, "kpi", *args, env=env_for(chat))
    assert result.returncode == 2 and message in result.stderr, describe(result)
    assert result.stdout == "" and chat.received == []


def test_report_refuses_an_unknown_channel_before_measuring(catalog: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    result = tagctl(catalog, "report", "--out", str(out), "--notify", "ops,pager", env={})
    assert result.returncode == 2 and "no channel 'pager'" in result.stderr, describe(result)
    assert "(configured: ding, hook, ops, team)" in result.stderr
    assert not out.exists()


def test_a_literal_webhook_url_is_a_config_error(catalog: Path) -> None:
    config = catalog / "tagctl.yaml"
    text = config.read_text(encoding="utf-8")
    literal = f"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key={KEY}"
    config.write_text(text.replace("'${TEST_WECOM_URL}'", f"'{literal}'"), encoding="utf-8")
    line = next(n for n, row in enumerate(config.read_text().splitlines(), 1) if literal in row)
    result = tagctl(catalog, "kpi", env={})
    assert result.returncode == 2, describe(result)
    assert result.stderr.startswith(f"tagctl: error: {config}:{line}:27: notify.ops.url: ")
