"""The command line: a thin layer that parses flags and calls the library.

Every command maps its outcome to the exit codes of DESIGN.md section 4;
`main()` is the single place where known errors become one-line messages.
"""

from __future__ import annotations

import os
import sys

import typer

from tagctl import __version__
from tagctl.cli import cleanup as cleanup_commands
from tagctl.cli import demo as demo_commands
from tagctl.cli import diff as diff_commands
from tagctl.cli import explore as explore_commands
from tagctl.cli import init as init_commands
from tagctl.cli import kpi as kpi_commands
from tagctl.cli import lifecycle as lifecycle_commands
from tagctl.cli import lint as lint_commands
from tagctl.cli import report as report_commands
from tagctl.errors import EXIT_RUNTIME, TagctlError
from tagctl.textsafe import printable

app = typer.Typer(
    name="tagctl",
    help="Tag governance for customer-data teams: tags as code, linted, measured and reported.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    rich_markup_mode=None if os.environ.get("NO_COLOR") else "rich",
)
lint_commands.register(app)
demo_commands.register(app)
kpi_commands.register(app)
lifecycle_commands.register(app)
diff_commands.register(app)
report_commands.register(app)
cleanup_commands.register(app)
init_commands.register(app)
explore_commands.register(app)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"tagctl {__version__}")
        raise typer.Exit()


class _Run:
    """What the error handler needs to know of this run's global flags."""

    verbose = False


@app.callback()
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
        app(prog_name="tagctl")
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
