"""A run builds only the command it runs: start-up is part of every lint in pre-commit."""

from __future__ import annotations

import subprocess
import sys

import typer.main

from tagctl.cli import MODULES, build_app

PROBE = """
import atexit, sys
ours = lambda: sorted(m for m in sys.modules if m.startswith("tagctl.cli."))
atexit.register(lambda: print("loaded:", *ours()))
from tagctl.cli import main
sys.argv = ["tagctl", *sys.argv[1:]]
main()
"""


def _loaded_cli_modules(*args: str) -> tuple[set[str], str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, check=False
    )
    *output, loaded = done.stdout.splitlines()
    assert loaded.startswith("loaded:"), done.stdout + done.stderr
    return set(loaded.split()[1:]), "\n".join(output)


def test_the_table_names_every_command_in_help_order() -> None:
    command = typer.main.get_command(build_app())
    assert list(command.commands) == [name for names in MODULES.values() for name in names]  # type: ignore[attr-defined]


def test_a_command_loads_only_its_own_module() -> None:
    loaded, shown = _loaded_cli_modules("lint", "--help")
    assert loaded == {"tagctl.cli.lint", "tagctl.cli.options"}
    assert "--baseline" in shown
    loaded, shown = _loaded_cli_modules("--verbose", "show", "--help")
    assert "tagctl.cli.explore" in loaded and "tagctl.cli.lint" not in loaded
    assert "TAG" in shown


def test_the_version_loads_no_command() -> None:
    loaded, shown = _loaded_cli_modules("--version")
    assert loaded == set()
    assert shown.startswith("tagctl ")


def test_help_and_unknown_commands_see_every_command() -> None:
    loaded, shown = _loaded_cli_modules("--help")
    assert {f"tagctl.cli.{module}" for module in MODULES} <= loaded
    assert all(name in shown for names in MODULES.values() for name in names)
    done = subprocess.run(
        [sys.executable, "-m", "tagctl", "lnt"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 2
    assert "No such command 'lnt'" in done.stderr
