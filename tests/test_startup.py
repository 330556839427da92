"""What a run loads: start-up is part of every lint in pre-commit.

A run builds only the command it runs, and a lint of clean files never
imports PyYAML: yaml-rs reads them, and libyaml is only for the texts it
does not read and for problems to locate.
"""

from __future__ import annotations

import inspect
import shutil
import subprocess
import sys
from pathlib import Path

import typer.main
from clihelpers import SAMPLE_CATALOG, tag_yaml, tagctl_env

from tagctl.cli import MODULES, build_app, summary

PROBE = """
import atexit, sys
prefix = sys.argv[1]
ours = lambda: sorted(
    m for m in sys.modules for p in prefix.split(",") if m == p or m.startswith(p + ".")
)
atexit.register(lambda: print("loaded:", *ours()))
from tagctl.cli import main
sys.argv = ["tagctl", *sys.argv[2:]]
main()
"""


def _loaded(prefix: str, *args: str) -> tuple[set[str], str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, prefix, *args], capture_output=True, text=True, check=False
    )
    *output, loaded = done.stdout.splitlines()
    assert loaded.startswith("loaded:"), done.stdout + done.stderr
    return set(loaded.split()[1:]), "\n".join(output)


def test_the_table_names_every_command_in_help_order() -> None:
    command = typer.main.get_command(build_app())
    assert list(command.commands) == [name for names in MODULES.values() for name in names]  # type: ignore[attr-defined]


def test_a_command_loads_only_its_own_module() -> None:
    loaded, shown = _loaded("tagctl.cli", "lint", "--help")
    assert loaded == {"tagctl.cli", "tagctl.cli.lint", "tagctl.cli.options"}
    assert "--baseline" in shown
    loaded, shown = _loaded("tagctl.cli", "--verbose", "show", "--help")
    assert "tagctl.cli.explore" in loaded and "tagctl.cli.lint" not in loaded
    assert "TAG" in shown


def test_the_version_loads_no_command() -> None:
    loaded, shown = _loaded("tagctl.cli", "--version")
    assert loaded == {"tagctl.cli"}
    assert shown.startswith("tagctl ")


def test_help_and_unknown_commands_see_every_command() -> None:
    loaded, shown = _loaded("tagctl.cli", "--help")
    assert {f"tagctl.cli.{module}" for module in MODULES} <= loaded
    assert all(name in shown for names in MODULES.values() for name in names)
    done = subprocess.run(
        [sys.executable, "-m", "tagctl", "lnt"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 2
    assert "No such command 'lnt'" in done.stderr


def test_a_lint_of_clean_files_never_imports_pyyaml(tmp_path: Path) -> None:
    catalog = tmp_path / "catalog"
    (catalog / "tags" / "behavior").mkdir(parents=True)
    shutil.copy(SAMPLE_CATALOG / "tagctl.yaml", catalog / "tagctl.yaml")
    for name in ("visit_product_30d", "visit_store_30d"):
        path = catalog / "tags" / "behavior" / f"{name}.yaml"
        path.write_text(tag_yaml(name), encoding="utf-8")
    loaded, shown = _loaded("yaml", "lint", "-C", str(catalog), "--no-cache", "--jobs", "1")
    assert "0 errors" in shown or "no problems" in shown.lower(), shown
    assert loaded == set()
    # a problem to locate is what brings libyaml in
    bad = catalog / "tags" / "behavior" / "visit_product_30d.yaml"
    bad.write_text(tag_yaml("visit_product_30d", status="nonsense"), encoding="utf-8")
    loaded, shown = _loaded("yaml", "lint", "-C", str(catalog), "--no-cache", "--jobs", "1")
    assert "TG104" in shown and "yaml" in loaded


def _complete(words: str, *prefixes: str) -> tuple[list[str], set[str]]:
    """What bash completion offers for `words` (the last one being completed), and the
    modules of `prefixes` it loaded."""
    env = {**tagctl_env(), "_TAGCTL_COMPLETE": "complete_bash", "COMP_WORDS": words}
    env["COMP_CWORD"] = str(len(words.split()) - (0 if words.endswith(" ") else 1))
    done = subprocess.run(
        [sys.executable, "-c", PROBE, ",".join(prefixes)],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    *offered, loaded = done.stdout.splitlines()
    assert loaded.startswith("loaded:"), done.stdout + done.stderr
    return offered, set(loaded.split()[1:])


def test_completion_offers_commands_and_flags_without_any_command_library() -> None:
    offered, loaded = _complete("tagctl li", "sqlalchemy", "duckdb", "jinja2", "ruamel")
    assert offered == ["lint", "list"]
    assert loaded == set()  # completing is as fast as --help
    offered, loaded = _complete("tagctl report --r", "sqlalchemy", "duckdb", "jinja2")
    assert offered == ["--role"] and loaded == set()
    shown = subprocess.run(
        [sys.executable, "-m", "tagctl", "--show-completion"],
        capture_output=True,
        text=True,
        check=False,
        env=tagctl_env({"SHELL": "/bin/bash"}),
    )
    assert shown.returncode == 0 and "_TAGCTL_COMPLETE=complete_bash" in shown.stdout


def test_the_command_list_gives_each_summary_on_one_line() -> None:
    # however the docstring breaks its first paragraph, the list shows it whole,
    # for the terminal to wrap
    done = subprocess.run(
        [sys.executable, "-m", "tagctl", "--help"],
        capture_output=True,
        text=True,
        check=False,
        env=tagctl_env({"NO_COLOR": "1", "COLUMNS": "1000"}),
    )
    listed: dict[
        str, list[str]
    ] = {}  # command: the words of its line and the lines wrapped under it
    for line in done.stdout.split("Commands:")[1].splitlines():
        words = line.split()
        if line.startswith("  ") and not line.startswith("   ") and words:
            listed[words[0]] = words[1:]
        elif words:
            listed[list(listed)[-1]] += words
    command = typer.main.get_command(build_app())
    for name, sub in command.commands.items():  # type: ignore[attr-defined]
        first = inspect.cleandoc(sub.callback.__doc__).split("\n\n")[0]
        assert listed[name] == first.split(), name  # whole: no "..."
    assert summary("One\n    two.\n\n    Three.") == "One two."
