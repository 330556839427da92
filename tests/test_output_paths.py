"""Output paths never destroy what they point at.

Every command that writes a file named on its command line writes a regular
file (or a new one) atomically, writes a character device or a named pipe
through without replacing it, follows a symbolic link to its file and keeps
the link, and refuses a directory or a socket with exit 2. Catalog edits are
synced to disk before the rename. A store named in tagctl.yaml gets no
folders made for it, except the catalog's own `.tagctl/`.

Every node is made inside tmp_path (the character device is a copy of
/dev/null's numbers, made with mknod): no test points tagctl at a real device.
"""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.clihelpers import describe, no_traceback
from tests.conftest import copy_catalog, run_tagctl
from tests.gitrepo import commit, init
from tests.test_cli_kpi import AS_OF, small_warehouse

Args = Callable[[Path, Path], list[str | Path]]


@dataclass(frozen=True)
class Writer:
    """A command that writes the file `out`, and a text its output always holds."""

    args: Args
    holds: str
    needs_run: bool = False  # a saved KPI run first
    needs_git: bool = False  # the catalog committed to a git repository first


WRITERS = {
    "lint -o": Writer(lambda c, o: ["lint", "-C", c, "-f", "sarif", "-o", o], '"2.1.0"'),
    "lint --write-baseline": Writer(
        lambda c, o: ["lint", "-C", c, "--write-baseline", o], '"violations"'
    ),
    "export -o": Writer(lambda c, o: ["export", "-C", c, "-o", o], "skin_type"),
    "kpi -o": Writer(
        lambda c, o: ["kpi", "-C", c, "--as-of", AS_OF, "-f", "json", "-o", o], "skin_type"
    ),
    "report --out": Writer(
        lambda c, o: ["report", "-C", c, "--as-of", AS_OF, "--out", o], "<!doctype html>"
    ),
    "cleanup --out": Writer(
        lambda c, o: ["cleanup", "-C", c, "--force", "--out", o], "decision", needs_run=True
    ),
    "diff -o": Writer(
        lambda c, o: ["diff", "-C", c, "--against", "HEAD", "-f", "json", "-o", o],
        '"against"',
        needs_git=True,
    ),
    "codeowners --out": Writer(
        lambda c, o: ["codeowners", "-C", c, "--out", o], "skin_type", needs_git=True
    ),
}


@pytest.fixture
def catalog(tmp_path: Path) -> Path:
    root = copy_catalog(tmp_path / "catalog")
    small_warehouse(root / ".tagctl" / "demo.duckdb")
    return root


def prepared(catalog: Path, writer: Writer) -> Path:
    if writer.needs_run:
        saved = run_tagctl("kpi", "-C", catalog, "--as-of", AS_OF, "--save")
        assert saved.returncode == 0, describe(saved)
    if writer.needs_git:
        init(catalog)
        commit(catalog)
    return catalog


def run(writer: Writer, catalog: Path, out: Path) -> subprocess.CompletedProcess[str]:
    result = run_tagctl(*writer.args(catalog, out), cwd=catalog.parent)
    no_traceback(result)
    return result


# --- the nodes, all made in tmp_path


class Pipe:
    """A named pipe with a reader thread that keeps what comes through it."""

    def __init__(self, path: Path) -> None:
        os.mkfifo(path)
        self.path = path
        self.chunks: list[bytes] = []
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        with self.path.open("rb") as stream:  # blocks until a writer opens the pipe
            self.chunks.append(stream.read())

    def received(self) -> str:
        """What was written, once the writer closed the pipe (or nothing if it never opened)."""
        self.thread.join(timeout=2)
        if self.thread.is_alive():  # nobody wrote: release the reader with an empty writer
            os.close(os.open(self.path, os.O_WRONLY | os.O_NONBLOCK))
            self.thread.join(timeout=10)
        return b"".join(self.chunks).decode("utf-8")


def null_device(path: Path) -> Path:
    """A character device with /dev/null's numbers, in a temporary folder; skip if not allowed."""
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("making a device node needs root")
    return path


@pytest.fixture
def unix_socket(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "s.sock"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    yield path
    server.close()


def kind(path: Path) -> int:
    return stat.S_IFMT(os.lstat(path).st_mode)


def one_line_error(result: subprocess.CompletedProcess[str], path: Path, text: str) -> None:
    assert result.returncode == 2, describe(result)
    assert result.stderr.startswith(f"tagctl: error: {path}: {text}"), describe(result)
    assert len(result.stderr.splitlines()) == 1, describe(result)


# --- every writer, on a pipe, a directory and a symbolic link


@pytest.mark.parametrize("name", WRITERS)
def test_a_named_pipe_is_written_through(name: str, catalog: Path, tmp_path: Path) -> None:
    writer = WRITERS[name]
    prepared(catalog, writer)
    pipe = Pipe(tmp_path / "pipe")
    result = run(writer, catalog, pipe.path)
    assert result.returncode == 0, describe(result)
    assert writer.holds in pipe.received()
    assert kind(pipe.path) == stat.S_IFIFO


@pytest.mark.parametrize("name", WRITERS)
def test_a_directory_is_refused_with_exit_2(name: str, catalog: Path, tmp_path: Path) -> None:
    writer = WRITERS[name]
    prepared(catalog, writer)
    folder = tmp_path / "taken"
    folder.mkdir()
    result = run(writer, catalog, folder)
    one_line_error(result, folder, "is a directory")
    assert kind(folder) == stat.S_IFDIR and list(folder.iterdir()) == []
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize("name", WRITERS)
def test_a_symbolic_link_is_followed_and_stays_a_link(
    name: str, catalog: Path, tmp_path: Path
) -> None:
    writer = WRITERS[name]
    prepared(catalog, writer)
    real = tmp_path / "real" / "out.txt"
    real.parent.mkdir()
    real.write_text("old\n", encoding="utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(Path("real") / "out.txt")  # relative, as links usually are
    result = run(writer, catalog, link)
    assert result.returncode == 0, describe(result)
    assert kind(link) == stat.S_IFLNK and os.readlink(link) == str(Path("real") / "out.txt")
    assert writer.holds in real.read_text(encoding="utf-8")
    assert [p.name for p in real.parent.iterdir()] == ["out.txt"]  # no temporary left


# --- a device and a socket, for the two commands of the issue


@pytest.mark.parametrize("name", ["lint -o", "report --out"])
def test_a_character_device_stays_a_device(name: str, catalog: Path, tmp_path: Path) -> None:
    device = null_device(tmp_path / "null")
    before = os.lstat(device)
    result = run(WRITERS[name], catalog, device)
    assert result.returncode == 0, describe(result)
    after = os.lstat(device)
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev
    assert after.st_ino == before.st_ino


@pytest.mark.parametrize("name", ["lint -o", "report --out"])
def test_a_socket_is_refused_with_exit_2(name: str, catalog: Path, unix_socket: Path) -> None:
    result = run(WRITERS[name], catalog, unix_socket)
    one_line_error(result, unix_socket, "is a socket")
    assert kind(unix_socket) == stat.S_IFSOCK


def test_a_pipe_needs_no_force_for_cleanup_as_it_holds_no_decisions(
    catalog: Path, tmp_path: Path
) -> None:
    assert run_tagctl("kpi", "-C", catalog, "--as-of", AS_OF, "--save").returncode == 0
    pipe = Pipe(tmp_path / "pipe")
    result = run_tagctl("cleanup", "-C", catalog, "--out", pipe.path)
    assert result.returncode == 0, describe(result)
    assert "decision" in pipe.received()


def test_a_directory_for_kpi_is_refused_before_measuring(catalog: Path, tmp_path: Path) -> None:
    broken = f"duckdb:///{tmp_path / 'no-such-warehouse.duckdb'}?access_mode=read_only"
    result = run_tagctl("kpi", "-C", catalog, "--warehouse", broken, "-o", tmp_path)
    no_traceback(result)
    one_line_error(result, tmp_path, "is a directory")  # not exit 3 for the warehouse


def test_a_directory_for_report_is_refused_before_measuring_and_saving(
    catalog: Path, tmp_path: Path
) -> None:
    result = run_tagctl("report", "-C", catalog, "--as-of", AS_OF, "--save", "--out", tmp_path)
    one_line_error(result, tmp_path, "is a directory")
    assert not (catalog / ".tagctl" / "history.sqlite").exists(), "the run was saved anyway"


# --- demo: a DuckDB file, so only a regular file or a link to one


def demo(catalog: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    result = run_tagctl("demo", "-C", catalog, "--users", "100", *args, cwd=catalog)
    no_traceback(result)
    return result


def test_demo_refuses_a_directory_a_pipe_and_a_device_with_exit_2(
    catalog: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "taken"
    folder.mkdir()
    one_line_error(demo(catalog, "--out", folder), folder, "is a directory")
    os.mkfifo(tmp_path / "pipe")  # never opened: refused before anything is written
    one_line_error(demo(catalog, "--out", tmp_path / "pipe"), tmp_path / "pipe", "is a device")
    assert kind(tmp_path / "pipe") == stat.S_IFIFO and list(folder.iterdir()) == []
    device = null_device(tmp_path / "null")
    one_line_error(demo(catalog, "--out", device), device, "is a device")
    assert kind(device) == stat.S_IFCHR


def test_demo_through_a_symbolic_link_replaces_the_file_it_points_to(
    catalog: Path, tmp_path: Path
) -> None:
    real = tmp_path / "warehouses" / "demo.duckdb"
    real.parent.mkdir()
    real.write_bytes(b"an old file")
    link = tmp_path / "demo.duckdb"
    link.symlink_to(real)
    result = demo(catalog, "--out", link)
    assert result.returncode == 0, describe(result)
    assert kind(link) == stat.S_IFLNK and link.resolve() == real
    assert real.read_bytes()[:16] != b"an old file" and real.stat().st_size > 4096


def test_demo_makes_no_folder_that_warehouse_url_names_outside_tagctl(
    catalog: Path, tmp_path: Path
) -> None:
    missing = tmp_path / "no" / "such"
    overlay = catalog / "tagctl.yaml"
    text = overlay.read_text(encoding="utf-8")
    overlay.write_text(
        text.replace("duckdb:///.tagctl/demo.duckdb", f"duckdb:///{missing / 'w.duckdb'}"),
        encoding="utf-8",
    )
    result = demo(catalog)
    assert result.returncode == 3, describe(result)
    assert result.stderr.startswith(f"tagctl: error: {missing}: "), describe(result)
    assert "warehouse.url" in result.stderr and not (tmp_path / "no").exists()


# --- the history store's folder


def save_with_history(catalog: Path, url: str) -> subprocess.CompletedProcess[str]:
    overlay = catalog.parent / "history.yaml"
    overlay.write_text(f"history:\n  url: {url}\n", encoding="utf-8")
    result = run_tagctl(
        "kpi", "-C", catalog, "--config", overlay, "--as-of", AS_OF, "--save", "-f", "json"
    )
    no_traceback(result)
    return result


def test_the_history_store_makes_no_folder_outside_tagctl(catalog: Path, tmp_path: Path) -> None:
    missing = tmp_path / "some" / "where"
    result = save_with_history(catalog, f"sqlite:///{missing / 'h.sqlite'}")
    assert result.returncode == 3, describe(result)
    assert result.stderr.startswith(f"tagctl: error: {missing}: "), describe(result)
    assert "history.url" in result.stderr and len(result.stderr.splitlines()) == 1
    assert not (tmp_path / "some").exists()


def test_the_history_store_makes_a_tagctl_folder_in_an_existing_one(
    catalog: Path, tmp_path: Path
) -> None:
    state = tmp_path / "elsewhere" / ".tagctl"
    state.parent.mkdir()
    result = save_with_history(catalog, f"sqlite:///{state / 'h.sqlite'}")
    assert result.returncode == 0, describe(result)
    assert (state / "h.sqlite").is_file() and (state / ".gitignore").is_file()
    deeper = tmp_path / "missing" / ".tagctl"
    refused = save_with_history(catalog, f"sqlite:///{deeper / 'h.sqlite'}")
    assert refused.returncode == 3, describe(refused)
    assert not (tmp_path / "missing").exists()


# --- catalog edits: synced before the rename, through links


def test_a_catalog_edit_is_synced_before_the_rename_and_its_folder_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tagctl.edit.apply import write
    from tagctl.edit.plan import FileEdit

    path = tmp_path / "tag.yaml"
    path.write_text("name: a\n", encoding="utf-8")
    events: list[str] = []
    fsync, replace = os.fsync, os.replace

    def synced(fd: int) -> None:
        events.append("dir" if stat.S_ISDIR(os.fstat(fd).st_mode) else "file")
        fsync(fd)

    def renamed(source: str | os.PathLike[str], target: str | os.PathLike[str]) -> None:
        events.append("rename")
        replace(source, target)

    monkeypatch.setattr(os, "fsync", synced)
    monkeypatch.setattr(os, "replace", renamed)
    write([FileEdit("a", path, "name: a\n", "name: a\nstatus: deprecated\n", "")])
    assert events == ["file", "rename", "dir"]
    assert path.read_text(encoding="utf-8").endswith("status: deprecated\n")


def test_a_catalog_edit_through_a_link_edits_the_file_and_keeps_the_link(
    tmp_path: Path,
) -> None:
    from tagctl.edit.apply import write
    from tagctl.edit.plan import FileEdit

    real = tmp_path / "shared" / "tag.yaml"
    real.parent.mkdir()
    real.write_text("name: a\n", encoding="utf-8")
    real.chmod(0o640)
    link = tmp_path / "tag.yaml"
    link.symlink_to(real)
    write([FileEdit("a", link, "name: a\n", "name: b\n", "")])
    assert kind(link) == stat.S_IFLNK and real.read_text(encoding="utf-8") == "name: b\n"
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
