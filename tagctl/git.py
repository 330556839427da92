"""Reading files at a git ref, through git itself.

Two git processes read a whole folder at a ref, however many files it
holds: `git ls-tree` lists the blobs and `git cat-file --batch` streams the
contents of those asked for. A missing ref, a folder outside any repository
or a missing git are usage errors (exit 2) with a message that says what to
do, the shallow clone of a CI job included.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from tagctl.errors import UsageError


@dataclass(frozen=True)
class Blob:
    """A file in a tree: its path relative to the repository top and its object id."""

    path: str
    oid: str


@dataclass(frozen=True)
class Repository:
    """A git working tree, found from a folder inside it."""

    top: Path

    @classmethod
    def find(cls, start: Path) -> Repository:
        """The repository holding `start`; a UsageError when there is none."""
        folder = start if start.is_dir() else start.parent
        result = _run(["rev-parse", "--show-toplevel"], folder, check=False)
        if result.returncode != 0:
            reason = _first_line(result.stderr)
            if "not a git repository" in reason.lower():
                raise UsageError("not inside a git repository", path=folder)
            raise UsageError(f"git cannot read the repository: {reason}", path=folder)
        return cls(Path(result.stdout.decode().strip()))

    def resolve(self, ref: str) -> str:
        """The commit id `ref` names; a UsageError saying how to get it when it is missing."""
        if not ref or ref.startswith("-"):
            raise UsageError(f"'{ref}' is not a git ref")
        result = self.run(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], check=False)
        if result.returncode == 0:
            return result.stdout.decode().strip()
        raise UsageError(self._missing(ref))

    def _missing(self, ref: str) -> str:
        shallow = self.run(["rev-parse", "--is-shallow-repository"], check=False)
        if shallow.stdout.decode().strip() == "true":
            if any(char in ref for char in "~^@:") or ref.startswith("HEAD"):
                return (
                    f"ref {ref} not found; in a shallow clone fetch the history first: "
                    "git fetch --unshallow"
                )
            remote, branch = self._remote_branch(ref)
            return (
                f"ref {ref} not found; in a shallow clone fetch it first: "
                f"git fetch --depth=1 {remote} {branch}"
            )
        return f"ref {ref} not found in the repository at {self.top} (fetch it, or check the name)"

    def _remote_branch(self, ref: str) -> tuple[str, str]:
        remotes = self.run(["remote"], check=False).stdout.decode().split()
        for remote in remotes:
            if ref.startswith(f"{remote}/"):
                return remote, ref[len(remote) + 1 :]
        for prefix in ("refs/heads/", "refs/tags/"):
            ref = ref.removeprefix(prefix)
        return ("origin" if "origin" in remotes or not remotes else remotes[0]), ref

    def relative(self, path: Path) -> str:
        """`path` relative to the top, with forward slashes; a UsageError when outside."""
        # The folders resolved, the last name kept: git tracks a link as a link.
        top = os.path.realpath(self.top)
        real = os.path.join(os.path.realpath(os.path.dirname(os.path.abspath(path))), path.name)
        real = os.path.normpath(real)
        if real == top:
            return ""
        if not real.startswith(top + os.sep):
            raise UsageError(f"not inside the git repository at {self.top}", path=path)
        return real[len(top) + 1 :].replace(os.sep, "/")

    def blobs(self, commit: str, folder: str) -> list[Blob]:
        """The regular files below `folder` (relative to the top) at `commit`."""
        spec = [f"{folder}/"] if folder else []
        out = self.run(["ls-tree", "-r", "-z", "--full-tree", commit, "--", *spec]).stdout
        found = []
        for record in out.decode("utf-8", errors="surrogateescape").split("\0"):
            meta, _, path = record.partition("\t")
            fields = meta.split()
            if len(fields) == 3 and fields[1] == "blob" and fields[0] in _REGULAR:
                found.append(Blob(path, fields[2]))
        return found

    def contents(self, oids: Iterable[str]) -> dict[str, bytes]:
        """The bytes of each object, read by one `git cat-file --batch` process."""
        wanted = list(dict.fromkeys(oids))
        if not wanted:
            return {}
        out = self.run(["cat-file", "--batch"], stdin="".join(f"{o}\n" for o in wanted)).stdout
        found: dict[str, bytes] = {}
        at = 0
        for oid in wanted:
            end = out.index(b"\n", at)
            header = out[at:end].split()
            at = end + 1
            if len(header) != 3:  # "<oid> missing"
                continue
            size = int(header[2])
            found[oid] = out[at : at + size]
            at += size + 1
        return found

    def run(
        self, args: list[str], *, stdin: str | None = None, check: bool = True
    ) -> subprocess.CompletedProcess[bytes]:
        return _run(args, self.top, stdin=stdin, check=check)


_REGULAR = ("100644", "100755")


def blob_id(data: bytes, like: str) -> str:
    """The id git gives a blob of `data`, in the hash of the id `like` (SHA-1 or SHA-256)."""
    digest = hashlib.sha256 if len(like) == 64 else hashlib.sha1
    return digest(b"blob %d\0" % len(data) + data).hexdigest()


def _run(
    args: list[str], cwd: Path, *, stdin: str | None = None, check: bool = True
) -> subprocess.CompletedProcess[bytes]:
    env: Mapping[str, str] = {**os.environ, "LC_ALL": "C", "GIT_TERMINAL_PROMPT": "0"}
    try:
        result = subprocess.run(
            ["git", *args],
            cwd=cwd,
            input=stdin.encode() if stdin is not None else None,
            capture_output=True,
            env=env,
            check=False,
        )
    except FileNotFoundError as exc:
        raise UsageError("git is not installed (or not on PATH); reading a ref needs it") from exc
    except OSError as exc:
        raise UsageError(f"cannot run git: {exc.strerror or exc}", path=cwd) from exc
    if check and result.returncode != 0:
        raise UsageError(f"git {args[0]} failed: {_first_line(result.stderr)}", path=cwd)
    return result


def _first_line(stderr: bytes) -> str:
    lines = [line.strip() for line in stderr.decode(errors="replace").splitlines() if line.strip()]
    return lines[0].removeprefix("fatal: ") if lines else "no message"
