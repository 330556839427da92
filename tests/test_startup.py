"""What a run loads: start-up is part of every lint in pre-commit.

A run builds only the command it runs, and a lint of clean files never
imports PyYAML: yaml-rs reads them, and libyaml is only for the texts it
does not read and for problems to locate.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import typer.main
from clihelpers import SAMPLE_CATALOG, tag_yaml

from tagctl.cli import MODULES, build_app

PROBE = """
import atexit, sys
prefix = sys.argv[1]
ours = lambda: sorted(m for m in sys.modules if m == prefix or m.startswith(prefix + "."))
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
