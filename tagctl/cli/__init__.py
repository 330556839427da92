"""The command line: a thin layer that parses flags and calls the library.

Every command maps its outcome to the exit codes of DESIGN.md section 4;
`main()` is the single place where known errors become one-line messages.
"""

from __future__ import annotations

import importlib
import inspect
import os
import sys
from collections.abc import Sequence

import typer

from tagctl import __version__
from tagctl.errors import EXIT_RUNTIME, TagctlError
from tagctl.textsafe import printable

# Each module of tagctl.cli and the commands it registers, in the order of
# `tagctl --help`. A run builds only the module of the command it runs:
# typer turns every registered function into a click command at start-up.
MODULES = {
    "lint": ("lint", "validate"),
    "demo": ("demo",),
    "kpi": ("kpi",),
    "lifecycle": ("deprecate", "retire"),
    "diff": ("diff", "codeowners"),
    "report": ("report",),
    "cleanup": ("cleanup",),
    "init": ("init",),
    "explore": ("list", "search", "show", "deps", "export", "new"),
    "importing": ("import",),
}


def build_app(args: Sequence[str] = ()) -> typer.Typer:
    """The command-line app, with only the command `args` name, or every command."""
    app = typer.Typer(
        name="tagctl",
        help="Tag governance for customer-data teams: tags as code, linted, measured and reported.",
        no_args_is_help=True,
        add_completion=True,  # --install-completion; completing builds no command's libraries
        pretty_exceptions_enable=False,
        context_settings={"help_option_names": ["-h", "--help"]},
        rich_markup_mode=None if os.environ.get("NO_COLOR") else "rich",
    )
    app.callback()(_root)
    command = next((arg for arg in args if not arg.startswith("-")), None)
    wanted = [module for module, names in MODULES.items() if command in names] or list(MODULES)
    if command is None and "--version" in args:
        wanted = []  # answered before any command is looked at
    for module in wanted:
        importlib.import_module(f"tagctl.cli.{module}").register(app)
    for info in app.registered_commands:
        if info.short_help is None and info.callback is not None:
            info.short_help = summary(info.callback.__doc__ or "")
    return app


def summary(doc: str) -> str:
    """A command's line in `tagctl --help`: the first paragraph of its docstring as one
    line, for the terminal to wrap (the docstring's own line breaks are for the source)."""
    return " ".join(inspect.cleandoc(doc).split("\n\n", 1)[0].split())


def _version(value: bool) -> None:
    if value:
        typer.echo(f"tagctl {__version__}")
        raise typer.Exit()


class _Run:
    """What the error handler needs to know of this run's global flags."""

    verbose = False


def verbose() -> bool:
    """Whether this run was given `tagctl --verbose`."""
    return _Run.verbose


def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
    verbose: bool = typer.Option(
        False,
        "--verbose",
        help="On failure, also print the whole error text (a driver's trace, its causes).",
    ),
) -> None:
    """tagctl: tags as code for customer data platforms."""
    _Run.verbose = verbose


def main() -> None:
    """Entry point of the `tagctl` console script."""
    try:
        build_app(sys.argv[1:])(prog_name="tagctl")
    except TagctlError as error:
        _fail(str(error), error.exit_code, error.__cause__)
    except KeyboardInterrupt:
        _fail("interrupted", 130)
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
    except Exception as error:  # a bug: say so plainly, traceback only on request
        if os.environ.get("TAGCTL_DEBUG"):
            raise
        # lazy: only an error message needs the warehouse error texts
        from tagctl.kpi.errortext import summary

        _fail(
            f"internal error: {type(error).__name__}: {summary(error)} "
            "(set TAGCTL_DEBUG=1 for the traceback, and please report it)",
            EXIT_RUNTIME,
            error,
        )


def _fail(message: str, code: int, cause: BaseException | None = None) -> None:
    """One line on stderr, secrets scrubbed; with --verbose, the whole text of the cause."""
    # lazy: only an error message needs the warehouse error texts
    from tagctl.kpi.errortext import full_text
    from tagctl.kpi.masking import scrub

    sys.stderr.write(f"tagctl: error: {printable(scrub(message))}\n")
    if cause is not None and _Run.verbose:
        sys.stderr.write(f"tagctl: the whole error:\n{printable(full_text(cause))}\n")
    sys.exit(code)
