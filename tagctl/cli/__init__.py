"""The command line: a thin layer that parses flags and calls the library.

Every command maps its outcome to the exit codes of DESIGN.md section 4;
`main()` is the single place where known errors become one-line messages.

`tagctl lint` in its everyday forms runs without building the app: a
pre-commit hook runs `tagctl lint FILE...` on every commit, an editor or CI
`tagctl lint` or `tagctl lint --catalog DIR --format json`, and importing
typer and click and building the command would cost a good part of such a
run. `plain_lint` takes those argument lists (paths, and only the flags of
`_FLAGS` and `_VALUES`, each at most once, each value a separate word that
is not itself a flag), which then run exactly as `tagctl.cli.lint.lint`
would run them; any other, `--help` included, is left to the app.
"""

from __future__ import annotations

import atexit
import importlib
import inspect
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from tagctl import __version__
from tagctl.errors import EXIT_RUNTIME, TagctlError
from tagctl.textsafe import printable

if TYPE_CHECKING:
    import typer

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
    import typer  # lazy: a plain lint runs without the app (see tagctl.cli.plain)

    app = typer.Typer(
        name="tagctl",
        help="Tag governance for customer-data teams: tags as code, linted, measured and reported.",
        no_args_is_help=True,
        add_completion=True,  # --install-completion; completing builds no command's libraries
        pretty_exceptions_enable=False,
        context_settings={"help_option_names": ["-h", "--help"]},
        rich_markup_mode=None if os.environ.get("NO_COLOR") else "rich",
    )
    app.callback()(_root_command())
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
        import typer  # lazy: loaded by build_app already

        typer.echo(f"tagctl {__version__}")
        raise typer.Exit()


class _Run:
    """What the error handler needs to know of this run's global flags."""

    verbose = False


def verbose() -> bool:
    """Whether this run was given `tagctl --verbose`."""
    return _Run.verbose


def _root_command() -> Callable[..., None]:
    """The app's callback: the options that come before any command."""
    import typer  # lazy: loaded by build_app already

    def root(
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

    return root


_LINT_FORMATS = ("text", "json", "sarif", "github")


@dataclass(frozen=True)
class PlainLint:
    """The flags of a plain `tagctl lint`, with their defaults in `tagctl.cli.lint.lint`."""

    paths: list[Path] = field(default_factory=list)
    catalog: Path | None = None
    fmt: str = "text"
    no_cache: bool = False
    color: bool | None = None


# the flags without a value and what they set; then those taking one
_FLAGS = {"--no-cache": ("no_cache", True), "--color": ("color", True)}
_FLAGS["--no-color"] = ("color", False)
_VALUES = {"--catalog": "catalog", "-C": "catalog", "--format": "fmt", "-f": "fmt"}


def plain_lint(args: Sequence[str]) -> PlainLint | None:
    """The flags of `tagctl lint ARGS`, or None when ARGS are not a plain lint's."""
    found: dict[str, object] = {}
    paths: list[Path] = []
    words = iter(args)
    for word in words:
        if not word.startswith("-"):
            paths.append(Path(word))
        elif word in _FLAGS and _FLAGS[word][0] not in found:
            name, flag = _FLAGS[word]
            found[name] = flag
        elif word in _VALUES and _VALUES[word] not in found:
            value = next(words, "-")  # a missing value, or a flag where it should be
            if value.startswith("-"):
                return None
            name = _VALUES[word]
            found[name] = Path(value) if name == "catalog" else value
        else:
            return None
    if found.get("fmt", "text") not in _LINT_FORMATS:
        return None  # the app says what the formats are
    return replace(PlainLint(paths), **found)  # type: ignore[arg-type]


def _without_app(args: list[str]) -> None:
    """Run a plain `tagctl lint` without building the app, and exit; return at once for
    any other command line (shell completion included: the app answers it)."""
    plain = args[:1] == ["lint"] and "_TAGCTL_COMPLETE" not in os.environ
    flags = plain_lint(args[1:]) if plain else None
    if flags is None:
        return
    # the formats import their own libraries when they are used
    from tagctl.formats import render  # lazy: the lint, once the arguments are a plain lint's
    from tagctl.lint.engine import LintRequest, lint  # lazy: as above

    result = lint(LintRequest(paths=flags.paths, catalog=flags.catalog, cache=not flags.no_cache))
    render(result, flags.fmt, sys.stdout, flags.color)
    _exit_at_once(result.exit_code)


def _exit_at_once(code: int) -> NoReturn:
    """End a plain lint: its output written, its cache saved, nothing is left to do.

    Freeing what the run built, then every module, one object at a time, would
    cost a tenth of a warm run: the process ends with them. The exit handlers
    still run, then the output is flushed (a closed pipe raises here, for
    `main` to handle).
    """
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def main() -> None:
    """Entry point of the `tagctl` console script."""
    try:
        _without_app(sys.argv[1:])
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
