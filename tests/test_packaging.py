"""The built wheel carries the schemas and works outside the source tree."""

from __future__ import annotations

import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# One worker builds the wheel once for both tests (make test runs them in parallel).
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("wheel")]


@pytest.fixture(scope="session")  # with the xdist group: built once a run
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with only the built wheel (and its dependencies).

    Built with the backend of the development install (hatchling, a dev
    dependency) rather than an isolated one, installed by this pip into a
    venv without its own, and not byte-compiled: a third of the work.
    """
    work = tmp_path_factory.mktemp("wheel")
    build = [sys.executable, "-m", "build", "--wheel", "--no-isolation"]
    subprocess.run(
        [*build, "--outdir", str(work / "dist"), str(ROOT)], check=True, capture_output=True
    )
    wheel = next((work / "dist").glob("tagctl-*.whl"))
    venv.create(work / "venv", with_pip=False)
    python = work / "venv" / "bin" / "python"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--quiet",
            "--no-compile",
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    return work / "venv" / "bin"


def test_wheel_contains_the_schemas(installed: Path) -> None:
    script = (
        "import tagctl.catalog.schema as s; print(s.schema_dir()); "
        "print(sorted(p.name for p in s.schema_dir().iterdir()))"
    )
    out = subprocess.run(
        [str(installed / "python"), "-c", script],
        check=True,
        capture_output=True,
        text=True,
        cwd="/",
    ).stdout
    folder, names = out.splitlines()
    assert "site-packages" in folder and folder.endswith("tagctl/schemas")
    assert "tag.schema.json" in names and "config.schema.json" in names


def test_installed_tagctl_validates_and_lints_a_catalog(installed: Path, tmp_path: Path) -> None:
    catalog = tmp_path / "catalog"
    shutil.copytree(ROOT / "tag-catalog", catalog, ignore=shutil.ignore_patterns(".tagctl"))
    for command in ("validate", "lint"):
        run = subprocess.run(
            [str(installed / "tagctl"), command, "--catalog", str(catalog)],
            capture_output=True,
            text=True,
            cwd=tmp_path,
        )
        assert run.returncode == 0, run.stdout + run.stderr
    bad = catalog / "tags" / "profile" / "gender.yaml"
    bad.write_text(bad.read_text(encoding="utf-8").replace("status: online", "status: live"))
    run = subprocess.run(
        [str(installed / "tagctl"), "validate", str(bad)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert run.returncode == 1
    assert "TG104" in run.stdout and "gender.yaml" in run.stdout
