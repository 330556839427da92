"""A warehouse that fails badly still ends in one clean line, exit 3, no secret.

Secrets: every form of credential in a URL is masked on every sink (stderr,
the JSON document, the history row, the report page), and known secrets
are scrubbed from driver texts. Long driver errors are cut to their
headline and cause (the whole text with --verbose). A server that accepts
the connection and never answers, or goes silent in the middle of a query,
fails within the timeout and a few seconds with a message that says so. A
lazy dialect's unreachable server is a connection failure, as is a history
store that cannot be reached.
"""

from __future__ import annotations

import json
import socket
import sqlite3
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import pytest
from exactdata import exact_dataset
from kpicatalog import AS_OF, CATALOG, write_catalog
from kpiwarehouse import Backend, open_backend
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from tagctl.cli import main
from tagctl.errors import ConfigError, RuntimeFailure
from tagctl.kpi.compute import KpiRequest, compute
from tagctl.kpi.database import HistoryDatabase, Warehouse
from tagctl.kpi.errortext import LIMIT, summary
from tagctl.kpi.history import open_history
from tagctl.kpi.limits import driver_limits
from tagctl.kpi.masking import masked, remember, scrub
from tagctl.kpi.settings import warehouse_settings
from tests.clihelpers import describe, no_traceback
from tests.conftest import run_tagctl

DAY = AS_OF.date().isoformat()
GUARD = 60  # seconds after which a hung tagctl fails the test instead of hanging it

# (URL suffix or form, the secret it carries)
FORMS = [
    ("user:{s}@", "userinfo password"),
    ("?password={s}", "password"),
    ("?passwd={s}", "passwd"),
    ("?pwd={s}", "pwd"),
    ("?access_token={s}", "access_token"),
    ("?token={s}", "token"),
    ("?secret={s}", "secret"),
    ("?private_key={s}", "private_key"),
    ("?sslpassword={s}", "sslpassword"),
    ("?api_key={s}", "api_key"),
    ("?apikey={s}", "apikey"),
    ("?key={s}", "key"),
    ("?aws_secret_access_key={s}", "a key containing secret"),
    ("?client-credential={s}", "a key containing credential"),
    ("?X-Auth-Token={s}", "a key containing token, any case"),
    ("?sslmode=require&password={s}&sslmode=verify", "among other keys"),
    ("?odbc_connect=DRIVER%3D%7BX%7D%3BUID%3Du%3BPWD%3D{s}", "PWD inside a value"),
]


def url_with(form: str, secret: str, base: str = "postgresql+psycopg://") -> str:
    """A URL carrying `secret` in `form` (user part or query)."""
    if form.startswith("user:"):
        return f"{base}{form.format(s=secret)}db.example.com:5432/cdp"
    return f"{base}tagctl@db.example.com:5432/cdp{form.format(s=secret)}"


@pytest.mark.parametrize("form", [form for form, _ in FORMS], ids=[name for _, name in FORMS])
def test_masked_hides_every_form_of_secret(form: str) -> None:
    shown = masked(url_with(form, "Zq9-s3cret%2Fx"))
    assert "s3cret" not in shown and "***" in shown
    assert "db.example.com:5432/cdp" in shown  # the rest is still there to read


def test_masked_keeps_ordinary_query_values() -> None:
    shown = masked("postgresql://u:pw@h/db?sslmode=require&application_name=tagctl")
    assert shown == "postgresql://u:***@h/db?sslmode=require&application_name=tagctl"


def test_masked_is_idempotent() -> None:
    once = masked(url_with("?api_key={s}", "k3y-value"))
    assert masked(once) == once


@pytest.mark.parametrize(
    "url",
    [
        "postgresql//tagctl:s3cretpw@db/cdp",  # no ://
        "tagctl:s3cretpw@db/cdp",
        "postgresql://tagctl:p@s3cretpw@db/cdp",  # an @ that is not escaped
    ],
)
def test_a_url_that_cannot_be_used_is_not_echoed_with_its_secret(url: str) -> None:
    with pytest.raises(ConfigError) as raised:
        HistoryDatabase(url)
    assert "s3cretpw" not in str(raised.value)
    assert "history.url" in str(raised.value)  # not "warehouse.url"


def test_known_secrets_are_scrubbed_from_any_text() -> None:
    remember("postgresql://u:Pa%24%24w0rd-9@h/db?api_key=AK-123456&sslmode=require")
    text = (
        'connection failed: password authentication failed; conninfo "password=Pa$$w0rd-9 '
        "host=h api_key=AK-123456\" (url postgresql://u:Pa%24%24w0rd-9@h/db) token: 'zz-top-99'"
    )
    cleaned = scrub(text)
    for secret in ("Pa$$w0rd-9", "Pa%24%24w0rd-9", "AK-123456"):
        assert secret not in cleaned
    assert "password authentication failed" in cleaned  # the words are kept


# -- sinks: stderr, the JSON document, the history row, the report page ---------------

SECRETS = {
    "password": "pw-S3CRET-1",
    "access_token": "tok-S3CRET-2",
    "api_key": "key-S3CRET-3",
    "sslpassword": "ssl-S3CRET-4",
    "client_secret": "cli-S3CRET-5",
}


def _secret_query() -> str:
    return "&".join(f"{key}={value}" for key, value in SECRETS.items())


def _assert_no_secret(text: str) -> None:
    assert "S3CRET" not in text, text[-2000:]


@pytest.fixture
def sqlite_catalog(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A catalog over a loaded SQLite warehouse, and that warehouse's URL with secrets;
    the history store's URL carries a secret too."""
    with open_backend("sqlite", tmp_path / "catalog") as backend:
        backend.load(exact_dataset())
        backend.config(CATALOG)
        history = tmp_path / "history.sqlite"
        overlay = backend.root / "history.yaml"
        overlay.write_text(
            f"history:\n  url: sqlite:///{history}?password=hist-S3CRET-6\n", encoding="utf-8"
        )
        assert backend.file is not None
        yield backend.root, f"sqlite:///{backend.file}?{_secret_query()}"


def test_secrets_stay_out_of_the_json_document_the_history_row_and_stderr(
    sqlite_catalog: tuple[Path, str], tmp_path: Path
) -> None:
    root, url = sqlite_catalog
    args = ("kpi", "-C", root, "--config", root / "history.yaml", "--as-of", DAY)
    result = run_tagctl(*args, "--warehouse", url, "-f", "json", "--save", timeout=GUARD)
    assert result.returncode == 0, describe(result)
    _assert_no_secret(result.stdout + result.stderr)
    assert "saved run" in result.stderr and "password=***" in result.stderr
    document = json.loads(result.stdout)
    assert document["warehouse"]["url"].endswith(
        "password=***&access_token=***&api_key=***&sslpassword=***&client_secret=***"
    )
    with sqlite3.connect(tmp_path / "history.sqlite") as store:
        rows = store.execute("SELECT document FROM tagctl_runs").fetchall()
    assert len(rows) == 1
    _assert_no_secret(rows[0][0])
    assert json.loads(rows[0][0])["warehouse"]["url"] == document["warehouse"]["url"]


def test_secrets_stay_out_of_the_report_page(
    sqlite_catalog: tuple[Path, str], tmp_path: Path
) -> None:
    root, url = sqlite_catalog
    page = tmp_path / "report.html"
    overlay = root / "history.yaml"
    missing = run_tagctl("report", "-C", root, "--config", overlay, "--out", page, "--from-history")
    assert missing.returncode == 2 and "no saved run in" in missing.stderr
    _assert_no_secret(missing.stderr)
    args = ("report", "-C", root, "--config", overlay, "--as-of", DAY, "--out", page)
    result = run_tagctl(*args, "--warehouse", url, "--save", timeout=GUARD)
    assert result.returncode == 0, describe(result)
    _assert_no_secret(result.stdout + result.stderr + page.read_text(encoding="utf-8"))
    again = run_tagctl("report", "-C", root, "--config", overlay, "--out", page, "--from-history")
    assert again.returncode == 0, describe(again)
    _assert_no_secret(page.read_text(encoding="utf-8"))


def test_a_document_saved_with_a_clear_url_is_read_back_masked(
    sqlite_catalog: tuple[Path, str], tmp_path: Path
) -> None:
    root, url = sqlite_catalog
    overlay = root / "history.yaml"
    saved = run_tagctl("kpi", "-C", root, "--config", overlay, "--as-of", DAY, "--save")
    assert saved.returncode == 0, describe(saved)
    with sqlite3.connect(tmp_path / "history.sqlite") as store:  # as an older tagctl wrote it
        (stored,) = store.execute("SELECT document FROM tagctl_runs").fetchone()
        document = json.loads(stored)
        document["warehouse"]["url"] = url
        store.execute("UPDATE tagctl_runs SET document = ?", (json.dumps(document),))
    with open_history(f"sqlite:///{tmp_path / 'history.sqlite'}") as history:
        read = history.document()
    assert read is not None
    _assert_no_secret(json.dumps(read))


def test_secrets_stay_out_of_a_failure_on_stderr(sqlite_catalog: tuple[Path, str]) -> None:
    root, url = sqlite_catalog
    missing = url.replace("warehouse.sqlite", "nowhere.sqlite")
    result = run_tagctl("kpi", "-C", root, "--as-of", DAY, "--warehouse", missing)
    assert result.returncode == 3, describe(result)
    no_traceback(result)
    _assert_no_secret(result.stderr)
    assert "password=***" in result.stderr


def _failing_open(text: str) -> Any:
    def fail(self: Warehouse) -> None:
        raise OperationalError("SELECT 1", {}, Exception(text))

    return fail


def test_a_driver_error_that_quotes_the_secret_is_scrubbed(
    file_backend: Backend, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = file_backend.config(CATALOG)
    url = f"{file_backend.url}?password=pw-S3CRET-7"
    echo = 'connection to "db" failed: user=tagctl password=pw-S3CRET-7; retried pw-S3CRET-7'
    monkeypatch.setattr(Warehouse, "_open", _failing_open(echo))
    with pytest.raises(RuntimeFailure) as raised:
        compute(KpiRequest(config, as_of=AS_OF, warehouse_url=url))
    message = str(raised.value)
    assert message.startswith('cannot connect: connection to "db" failed')
    _assert_no_secret(message)


# -- long driver errors ----------------------------------------------------------------

HIVE = (
    "TExecuteStatementResp(status=TStatus(statusCode=3, infoMessages=["
    "'*org.apache.hive.service.cli.HiveSQLException:Error while compiling statement: FAILED:"
    " SemanticException [Error 10001]: Line 1:14 Table not found dws_user_tag:17:16', "
    + ", ".join(f"'org.apache.hive.ql.Driver:compile:Driver.java:{n}'" for n in range(600))
    + ", '*org.apache.hadoop.hive.ql.parse.SemanticException:Line 1:14 Table not found"
    " dws_user_tag:22:6'], sqlState='42S02', errorCode=10001, errorMessage='Error while"
    " compiling statement: FAILED: SemanticException [Error 10001]: Line 1:14 Table not found"
    " dws_user_tag'), operationHandle=None)"
)
JAVA = (
    "org.apache.spark.SparkException: Job aborted due to stage failure\n"
    + "".join(f"\tat org.apache.spark.Frame{n}.run(Frame.java:{n})\n" for n in range(400))
    + "Caused by: java.io.IOException: broken pipe\n\tat x.y.Z.w(Z.java:1)\n"
    + "Caused by: java.net.SocketTimeoutException: Read timed out\n\tat a.b.C.d(C.java:2)\n"
)


def test_a_one_line_java_trace_is_cut_to_its_message_and_innermost_cause() -> None:
    assert len(HIVE) > 25_000
    line = summary(OperationalError("SELECT 1", {}, Exception(HIVE)))
    assert len(line) <= LIMIT and "\n" not in line
    assert line.startswith("Error while compiling statement: FAILED: SemanticException")
    assert "caused by: org.apache.hadoop.hive.ql.parse.SemanticException:Line 1:14" in line


def test_a_multi_line_trace_keeps_its_first_line_and_last_cause() -> None:
    line = summary(Exception(JAVA))
    assert len(line) <= LIMIT and "\n" not in line
    assert line == (
        "org.apache.spark.SparkException: Job aborted due to stage failure"
        " (caused by: java.net.SocketTimeoutException: Read timed out)"
    )


def _run_main(argv: list[str], monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(sys, "argv", ["tagctl", *argv])
    with pytest.raises(SystemExit) as raised:
        main()
    return int(raised.value.code or 0)


@pytest.mark.parametrize("verbose", [False, True])
def test_the_whole_driver_text_only_with_verbose(
    file_backend: Backend,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    verbose: bool,
) -> None:
    file_backend.config(CATALOG)
    monkeypatch.setattr(Warehouse, "_open", _failing_open(HIVE + " password=pw-S3CRET-8"))
    argv = ["kpi", "-C", str(file_backend.root), "--as-of", DAY]
    code = _run_main(["--verbose", *argv] if verbose else argv, monkeypatch)
    err = capsys.readouterr().err
    assert code == 3
    first = err.splitlines()[0]
    assert first.startswith("tagctl: error: cannot connect: Error while compiling statement")
    shown_url = len(str(file_backend.root))  # the warehouse file's path is named in full
    assert len(first) - shown_url < LIMIT + 120  # the cut text, the rest of the URL, the prefix
    assert ("org.apache.hive.ql.Driver:compile:Driver.java:599" in err) is verbose
    assert len(err.splitlines()) > 1 if verbose else len(err.splitlines()) == 1
    _assert_no_secret(err)


# -- servers that never answer ---------------------------------------------------------


@contextmanager
def silent_server() -> Iterator[int]:
    """A TCP server on 127.0.0.1 that accepts every connection and never sends a byte."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.2)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except TimeoutError:
                continue
            except OSError:
                return

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1]
    finally:
        stop.set()
        thread.join()
        server.close()
        for connection in held:
            connection.close()


def _catalog(root: Path, timeout: float | None) -> Path:
    warehouse: dict[str, Any] = {"url": "sqlite:///unused.sqlite"}
    if timeout is not None:
        warehouse["timeout_seconds"] = timeout
    write_catalog(root, CATALOG, warehouse)
    return root


SERVERS = [
    ("postgresql+psycopg://tagctl:pw-S3CRET@127.0.0.1:{port}/cdp", "psycopg"),
    ("mysql+pymysql://tagctl:pw-S3CRET@127.0.0.1:{port}/cdp", "pymysql"),
    ("trino://tagctl@127.0.0.1:{port}/hive", "trino"),
]


@pytest.mark.parametrize("template, driver", SERVERS, ids=[d for _, d in SERVERS])
@pytest.mark.parametrize("timeout, seconds", [(3, 3), (None, 10)], ids=["3s", "default"])
def test_a_server_that_accepts_and_never_answers(
    tmp_path: Path, template: str, driver: str, timeout: float | None, seconds: int
) -> None:
    pytest.importorskip(driver)
    root = _catalog(tmp_path / "catalog", timeout)
    with silent_server() as port:
        url = template.format(port=port)
        result = run_tagctl("kpi", "-C", root, "--warehouse", url, timeout=GUARD)
    assert result.returncode == 3, describe(result)
    no_traceback(result)
    _assert_no_secret(result.stderr)
    assert (
        f"tagctl: error: cannot connect: the server accepted the connection but did not"
        f" answer within {seconds} s [" in result.stderr
    ), describe(result)


class SilentProxy:
    """A TCP proxy to `target` that goes silent, both ways, once the client sends `marker`:
    the server looks alive to TCP (the proxy's kernel acknowledges) but never answers."""

    def __init__(self, target: tuple[str, int], marker: bytes) -> None:
        self.target = target
        self.marker = marker
        self.silent = threading.Event()
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = int(self.server.getsockname()[1])
        self.sockets: list[socket.socket] = [self.server]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client = self.server.accept()[0]
                upstream = socket.create_connection(self.target)
            except OSError:
                return
            self.sockets += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        while True:
            try:
                data = source.recv(65536)
                if not data:
                    return
                if self.marker in data:
                    self.silent.set()
                if not self.silent.is_set():
                    sink.sendall(data)
            except OSError:
                return

    def close(self) -> None:
        """Close every connection (shut down first: closing alone leaves a blocked recv be)."""
        for sock in self.sockets:
            with suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()


@pytest.mark.parametrize(
    "name, message",
    [
        ("postgres", "query failed: the server stopped answering: no reply after 5 s"),
        ("mysql", "query failed: timed out after 3 s"),
    ],
)
def test_a_server_that_goes_silent_in_the_middle_of_a_query(
    tmp_path: Path, name: str, message: str
) -> None:
    with open_backend(name, tmp_path / "catalog") as backend:
        backend.load(exact_dataset())
        backend.config(CATALOG, timeout_seconds=3)
        real = backend.engine().url
        proxy = SilentProxy((str(real.host), int(real.port or 0)), b"count(")
        try:
            url = real.set(port=proxy.port).render_as_string(hide_password=False)
            result = run_tagctl(
                "kpi", "-C", backend.root, "--as-of", DAY, "--warehouse", url, timeout=GUARD
            )
        finally:
            proxy.close()
    assert proxy.silent.is_set()
    assert result.returncode == 3, describe(result)
    no_traceback(result)
    assert message in result.stderr, describe(result)


# -- connection failures are connection failures ----------------------------------------


def test_trino_that_cannot_be_reached_is_a_connection_failure(tmp_path: Path) -> None:
    pytest.importorskip("trino")
    root = _catalog(tmp_path / "catalog", 3)
    result = run_tagctl("kpi", "-C", root, "--warehouse", "trino://u@127.0.0.1:1/hive")
    assert result.returncode == 3, describe(result)
    no_traceback(result)
    assert result.stderr.startswith("tagctl: error: cannot connect: "), describe(result)
    assert "Connection refused" in result.stderr and "not found" not in result.stderr


def test_a_driver_that_refuses_a_url_option_is_a_connection_failure(tmp_path: Path) -> None:
    pytest.importorskip("pymysql")
    root = _catalog(tmp_path / "catalog", 3)
    url = "mysql+pymysql://u@127.0.0.1:1/cdp?tokens=tok-S3CRET"  # not a PyMySQL argument
    result = run_tagctl("kpi", "-C", root, "--warehouse", url)
    assert result.returncode == 3, describe(result)
    no_traceback(result)
    assert result.stderr.startswith("tagctl: error: cannot connect: "), describe(result)
    _assert_no_secret(result.stderr)


@pytest.mark.parametrize("silent", [False, True], ids=["refused", "silent"])
def test_a_history_store_that_cannot_be_reached(
    file_backend: Backend, tmp_path: Path, silent: bool
) -> None:
    pytest.importorskip("psycopg")
    file_backend.load(exact_dataset())
    file_backend.config(CATALOG)
    overlay = tmp_path / "history.yaml"
    with silent_server() as port:
        url = f"postgresql+psycopg://u:pw-S3CRET@127.0.0.1:{port if silent else 1}/history"
        overlay.write_text(f"history:\n  url: {url}\n", encoding="utf-8")
        args = ("kpi", "-C", file_backend.root, "--config", overlay, "--as-of", DAY)
        result = run_tagctl(*args, timeout=GUARD)
    assert result.returncode == 3, describe(result)
    no_traceback(result)
    _assert_no_secret(result.stderr)
    assert result.stderr.startswith("tagctl: error: cannot connect to the history store: ")
    if silent:
        assert "accepted the connection but did not answer within 10 s" in result.stderr


def test_the_url_options_of_postgresql_are_kept(tmp_path: Path) -> None:
    """`?options=-csearch_path=...` of the URL and tagctl's statement_timeout both apply."""
    with open_backend("postgres", tmp_path / "catalog") as backend:
        backend.load(exact_dataset())
        options = {"options": f"-csearch_path={backend.schema}"}
        url = backend.engine().url.update_query_dict(options)
        warehouse = {"url": url.render_as_string(hide_password=False), "timeout_seconds": 3}
        config = write_catalog(backend.root, CATALOG, warehouse)  # no warehouse.schema
        assert compute(KpiRequest(config, as_of=AS_OF)).population.size == 30
        with Warehouse(warehouse_settings(config)) as opened:
            limit = opened.connection.execute(text("SHOW statement_timeout")).scalar()
        assert limit == "3s"


def test_every_network_driver_is_bounded_on_the_client_side() -> None:
    pytest.importorskip("psycopg")
    pytest.importorskip("pymysql")
    libpq = driver_limits(create_engine("postgresql+psycopg://h/db").dialect, 300)
    assert libpq["connect_timeout"] == 10 and libpq["keepalives"] == 1
    assert libpq["tcp_user_timeout"] == 10_000
    assert libpq["options"] == "-c statement_timeout=300000"
    mysql = driver_limits(create_engine("mysql+pymysql://h/db").dialect, 3)
    assert mysql == {"connect_timeout": 3, "read_timeout": 3, "write_timeout": 3}
