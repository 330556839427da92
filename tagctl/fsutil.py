"""Writing files safely.

An output named by the user is written according to what is there: a
regular file (or nothing yet) is replaced atomically, a temporary file in the
same folder and then a rename; a character device or a pipe (/dev/stdout, a
named pipe) is written through and stays what it is; a symbolic link is
followed to the file it points to and stays a link; a directory, a socket or
a block device is refused.
"""

from __future__ import annotations

import json
import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, NamedTuple, TextIO

from tagctl.errors import RuntimeFailure, UsageError

STATE = ".tagctl"
_REFUSED = {stat.S_IFDIR: "a directory", stat.S_IFSOCK: "a socket", stat.S_IFBLK: "a block device"}


class Target(NamedTuple):
    """Where an output goes."""

    path: Path  # the path given, its symbolic links followed
    stream: bool  # a character device or a pipe: written through, never replaced


def output_target(path: Path) -> Target:
    """The file that writing `path` writes; a usage error for a directory, socket or disk."""
    real = Path(os.path.realpath(path))
    try:
        mode = os.stat(real).st_mode
    except FileNotFoundError:
        return Target(real, stream=False)
    except OSError as exc:
        raise RuntimeFailure(f"cannot write: {exc.strerror or exc}", path=path) from exc
    if stat.S_ISREG(mode):
        return Target(real, stream=False)
    if stat.S_ISCHR(mode) or stat.S_ISFIFO(mode):
        return Target(real, stream=True)
    kind = _REFUSED.get(stat.S_IFMT(mode), "a special file")
    raise UsageError(f"is {kind}, not a file to write", path=path)


@contextmanager
def output_writer(path: Path, newline: str | None = None) -> Iterator[TextIO]:
    """A text stream to the output `path`, written as the module docstring says."""
    target = output_target(path)
    if target.stream:
        with _written_through(target.path, path, newline) as stream:
            yield stream
    else:
        with _replaced(target.path, path, newline, durable=False) as stream:
            yield stream


@contextmanager
def atomic_writer(
    path: Path, newline: str | None = None, *, durable: bool = False
) -> Iterator[TextIO]:
    """Yield a text stream; on success it replaces the file `path` (its symbolic links
    followed), on failure nothing changes. Anything but a regular file is refused.

    `durable` syncs the new file to disk before the rename, and the folder after
    it, so that a power cut leaves the old file or the new one, never an empty one.
    """
    target = output_target(path)
    if target.stream:
        raise UsageError("is a device or a pipe, not a file that can be replaced", path=path)
    with _replaced(target.path, path, newline, durable) as stream:
        yield stream


@contextmanager
def _replaced(path: Path, shown: Path, newline: str | None, durable: bool) -> Iterator[TextIO]:
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise RuntimeFailure(f"cannot write here: {exc.strerror}", path=shown) from exc
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline=newline) as stream:
            yield stream
            if durable:
                stream.flush()
                os.fsync(stream.fileno())
        _keep_mode(path, tmp)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise RuntimeFailure(f"cannot write: {exc.strerror or exc}", path=shown) from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    if durable:
        sync_folder(path.parent)


@contextmanager
def _written_through(path: Path, shown: Path, newline: str | None) -> Iterator[TextIO]:
    """Write into an existing device or pipe; without O_CREAT nothing new is ever made."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_NOCTTY)
    except OSError as exc:
        raise RuntimeFailure(f"cannot write: {exc.strerror or exc}", path=shown) from exc
    mode = os.fstat(fd).st_mode
    if not (stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)):  # replaced since it was looked at
        os.close(fd)
        raise RuntimeFailure("changed while being opened; run again", path=shown)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline=newline) as stream:
            yield stream
    except OSError as exc:
        raise RuntimeFailure(f"cannot write: {exc.strerror or exc}", path=shown) from exc


def _keep_mode(path: Path, tmp: str) -> None:
    try:
        os.chmod(tmp, os.stat(path).st_mode & 0o7777)
    except FileNotFoundError:
        os.chmod(tmp, 0o644)


def shown_path(path: Path, cwd: Path | None = None) -> str:
    """`path` as messages and diffs show it: relative to `cwd` (default: the working folder)."""
    try:
        return Path(os.path.relpath(path.absolute(), (cwd or Path.cwd()).absolute())).as_posix()
    except ValueError:  # another drive on Windows
        return path.as_posix()


def sync_folder(folder: Path) -> None:
    """Make the renames in `folder` durable; best effort (not every system can)."""
    with suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def inside(folder: Path, root: Path) -> bool:
    """Whether `folder`, its links resolved, is `root` or lies under it."""
    real, top = os.path.realpath(folder), os.path.realpath(root)
    return real == top or real.startswith(top + os.sep)


def make_folder_inside(folder: Path, root: Path) -> list[Path]:
    """Make `folder` and its missing parents, which must lie inside `root` (a folder
    link that leads out of it is refused); the folders made, outermost first."""
    missing = [parent for parent in (folder, *folder.parents) if not parent.exists()]
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise RuntimeFailure(f"cannot make the folder: {error.strerror}", path=folder) from error
    if not inside(folder, root):
        raise UsageError("the folder links outside the catalog", path=folder)
    return list(reversed(missing))


def create_file(path: Path, text: str) -> None:
    """Write a new file `path` whole or not at all; FileExistsError rather than replace one.

    The text goes to a hidden temporary file beside `path`, which is then
    linked into place: the link fails if a file appeared meanwhile.
    """
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise RuntimeFailure(f"cannot write here: {error.strerror}", path=path) from error
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        _link(Path(tmp), path, text)
    except FileExistsError:
        raise
    except OSError as error:
        raise RuntimeFailure(f"cannot write: {error.strerror or error}", path=path) from error
    finally:
        Path(tmp).unlink(missing_ok=True)


def _link(tmp: Path, path: Path, text: str) -> None:
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links: create, then fill
        with path.open("x", encoding="utf-8", newline="\n") as stream:
            try:
                stream.write(text)
            except BaseException:
                path.unlink(missing_ok=True)
                raise


def make_parent(path: Path) -> None:
    """Create the missing folders above an output file named on the command line."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise RuntimeFailure(f"cannot create the folder: {reason}", path=path.parent) from exc


def make_state_folder(folder: Path, setting: str) -> None:
    """The folder of a file that `setting` of tagctl.yaml names, checked or created.

    Only tagctl's own state folder, a `.tagctl` in an existing folder, is
    created; any other missing folder is an error naming it, so that a typo in
    the config cannot scatter folders over the machine.
    """
    if not folder.is_dir():
        if folder.name != STATE or not folder.parent.is_dir():
            raise RuntimeFailure(
                "the folder does not exist", path=folder, hint=f"create it, or change {setting}"
            )
        try:
            folder.mkdir(exist_ok=True)
        except OSError as exc:
            reason = exc.strerror or str(exc)
            raise RuntimeFailure(f"cannot create the folder: {reason}", path=folder) from exc
    if folder.name == STATE:
        ignore_state(folder)


def state_dir(root: Path) -> Path:
    """`<catalog>/.tagctl`, tagctl's local state: caches and history."""
    return root / STATE


def local_identity(folder: Path) -> str:
    """The identity on this disk (device, inode) of a state folder, created if need be.

    A cache keyed by it is trusted only where it was written: a `.tagctl/cache`
    that arrives with a checkout (a pull request can commit one, entries and
    all) is a new folder with another identity, so its entries are never used.
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
        ignore_state(folder)
        info = os.stat(folder)
    except OSError:
        return ""  # nothing will be saved here either
    return f"{info.st_dev}:{info.st_ino}"


def read_state_json(path: Path) -> Any:
    """A JSON state file, or None when it is missing or unreadable."""
    try:
        with path.open(encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, ValueError):
        return None


def write_state_json(path: Path, document: Any) -> None:
    """Write a cache file atomically; a read-only catalog just goes uncached."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        ignore_state(path.parent)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError:
        return
    try:
        text = json.dumps(document, separators=(",", ":"), ensure_ascii=False)  # C encoder
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except OSError:
        Path(tmp).unlink(missing_ok=True)  # e.g. a folder where the cache file should be


def append_state_line(path: Path, document: Any) -> None:
    """Append one JSON line to a state journal; failures only cost speed."""
    try:
        with path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(document, separators=(",", ":"), ensure_ascii=False) + "\n")
    except OSError:
        return


def ignore_state(folder: Path) -> None:
    """Keep `.tagctl/` out of version control without touching the user's .gitignore."""
    while folder.name != STATE and folder != folder.parent:
        folder = folder.parent
    if folder.name != STATE:
        return
    # "x": never through a symbolic link, never over a file; best effort, like the caches
    with suppress(OSError), (folder / ".gitignore").open("x", encoding="utf-8") as marker:
        marker.write("# tagctl's local state: caches and history\n*\n")
