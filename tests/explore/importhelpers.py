"""Catalogs to import into, and running an import as the command does (in process)."""

from __future__ import annotations

import datetime as dt
import io
import shutil
from pathlib import Path
from typing import Any

from tagctl.catalog.config import Config, load_config
from tagctl.catalog.tags import Tag, load_tags
from tagctl.edit.scalars import load_text
from tagctl.explore.importer import ImportPlan, ImportRequest
from tagctl.explore.importwrite import run_import
from tagctl.formats.export import render_export

TODAY = dt.date(2026, 12, 1)
# Keys whose absence means the same as this value: an import does not write them.
SCHEMA_DEFAULTS = {"tier": "standard", "granularity": "user"}


def empty_catalog(folder: Path, config_from: Path) -> Config:
    """A catalog at `folder` with `config_from`'s tagctl.yaml and no tags."""
    (folder / "tags").mkdir(parents=True)
    shutil.copyfile(config_from, folder / "tagctl.yaml")
    return load_config(folder / "tagctl.yaml")


def catalog(folder: Path) -> tuple[Config, list[Tag]]:
    config = load_config(folder / "tagctl.yaml")
    tags, skipped = load_tags(config)
    assert not skipped
    return config, tags


def export_text(folder: Path, fmt: str) -> str:
    config, tags = catalog(folder)
    stream = io.StringIO()
    render_export(tags, config, fmt, stream)
    return stream.getvalue()


def run(folder: Path, source: Path, **options: Any) -> ImportPlan:
    config, tags = catalog(folder)
    return run_import(config, tags, ImportRequest(source=source, today=TODAY, **options))


def definitions(folder: Path) -> dict[str, Any]:
    """Every tag file's data by its path under tags/, with keys at their default dropped."""
    found = {}
    for path in sorted((folder / "tags").rglob("*.yaml")):
        data = load_text(path.read_text(encoding="utf-8"))
        for key, default in SCHEMA_DEFAULTS.items():
            if data.get(key) == default:
                del data[key]
        found[path.relative_to(folder / "tags").as_posix()] = data
    return found


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` but tagctl's state (.tagctl/), bytes by relative path."""
    found = {path.relative_to(folder).as_posix(): path for path in sorted(folder.rglob("*"))}
    return {
        name: path.read_bytes()
        for name, path in found.items()
        if path.is_file() and not name.startswith(".tagctl/")
    }
