"""Exceptions that end a command with a documented exit code.

Every user-facing failure is one of these; the CLI's single error handler
turns them into a one-line message and the exit code of DESIGN.md section 4.
"""

from __future__ import annotations

from pathlib import Path

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_RUNTIME = 3


class TagctlError(Exception):
    """A failure the user can act on; `exit_code` says which kind."""

    exit_code = EXIT_RUNTIME

    def __init__(
        self,
        message: str,
        *,
        path: Path | str | None = None,
        line: int | None = None,
        column: int | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.column = column
        self.hint = hint

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = str(self.path)
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
            where += ": "
        text = where + self.message
        if self.hint:
            text += f" ({self.hint})"
        return text


class UsageError(TagctlError):
    """A bad flag, an unknown tag or rule: exit 2."""

    exit_code = EXIT_USAGE


class ConfigError(TagctlError):
    """A missing or invalid tagctl.yaml: exit 2."""

    exit_code = EXIT_USAGE


class RuntimeFailure(TagctlError):
    """The warehouse or the machine failed us: exit 3."""

    exit_code = EXIT_RUNTIME
