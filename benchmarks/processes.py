"""What the benchmarks share: a whole command timed as a process, with its peak memory.

A small wrapper process starts the command and reports its exit code, its
wall time and the peak resident set of its children (the command and any
worker it starts), so the figures include interpreter start-up and imports,
as a user sees them. Bytecode caching is on, as in any installed copy.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TAGCTL = str(Path(sys.executable).parent / "tagctl")
ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
WRAPPER = (
    "import resource, subprocess, sys, time\n"
    "start = time.perf_counter()\n"
    "done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)\n"
    "elapsed = time.perf_counter() - start\n"
    "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
    "sys.stderr.write(done.stderr.decode(errors='replace'))\n"
    "print(done.returncode, elapsed, peak)\n"
)


@dataclass(frozen=True)
class Timed:
    code: int
    seconds: float
    peak_kib: int
    stderr: str


def timed(command: list[str], cwd: Path | None = None) -> Timed:
    """Run `command` once as a whole process: exit code, wall time, peak RSS, stderr."""
    done = subprocess.run(
        [sys.executable, "-c", WRAPPER, *command],
        env=ENV,
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    )
    code, seconds, peak = done.stdout.split()
    return Timed(int(code), float(seconds), int(peak), done.stderr)


def timed_tagctl(*args: str | Path, cwd: Path | None = None) -> Timed:
    """One whole `tagctl ARGS` process, which must succeed."""
    run = timed([TAGCTL, *map(str, args)], cwd)
    if run.code != 0:
        words = " ".join(map(str, args[:1]))
        raise SystemExit(f"tagctl {words} failed ({run.code}): {run.stderr.strip()}")
    return run
