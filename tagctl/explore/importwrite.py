"""Writing an import: every new file, and tagctl.yaml's new categories, or nothing.

Each file is written whole to a hidden temporary file beside its place,
then linked into place, which fails rather than replace a file that
appeared meanwhile. If anything fails, the files this import created
(and the folders it made for them) are removed again, so a failed import
leaves the catalog as it found it. tagctl.yaml is edited in place (its
comments and layout kept) and replaced atomically, last.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from pathlib import Path

from tagctl.catalog.config import Config
from tagctl.catalog.tags import Tag
from tagctl.edit.nodes import EditError
from tagctl.edit.ops import set_value
from tagctl.errors import UsageError
from tagctl.explore.importer import Draft, ImportPlan, ImportRequest, NewCategory, plan_import
from tagctl.fsutil import atomic_writer, create_file, make_folder_inside


def run_import(config: Config, tags: Sequence[Tag], request: ImportRequest) -> ImportPlan:
    """Plan the import of `request.source` and, unless told not to, write it."""
    plan = plan_import(config, tags, request)
    if request.add_categories:
        plan.added = [category for category in plan.categories if category.addable]
        plan.categories = [category for category in plan.categories if not category.addable]
    plan.refused = request.strict and bool(plan.problems)
    if request.dry_run or plan.refused or not (plan.drafts or plan.added):
        return plan
    write_import(config, plan.drafts, categories_text(config, plan.added))
    plan.written = True
    return plan


def categories_text(config: Config, categories: Sequence[NewCategory]) -> str | None:
    """tagctl.yaml with `categories` added; None when there is nothing to add."""
    if not categories or config.file is None:
        return None
    text = config.file.read_text(encoding="utf-8")
    for category in categories:
        try:
            text = set_value(
                text, ("categories", category.key), {"zh": category.zh, "en": category.en}
            )
        except EditError as error:
            raise UsageError(
                f"cannot add category {category.key}: {error}", path=config.file
            ) from error
    return text


def write_import(config: Config, drafts: Sequence[Draft], config_text: str | None) -> None:
    created: list[Path] = []
    folders: list[Path] = []
    try:
        for draft in drafts:
            folders += make_folder_inside(draft.path.parent, config.root)
            _create(draft.path, draft.text)
            created.append(draft.path)
        if config_text is not None and config.file is not None:
            with atomic_writer(config.file, newline="", durable=True) as stream:
                stream.write(config_text)
    except BaseException:
        for path in reversed(created):
            path.unlink(missing_ok=True)
        for folder in reversed(folders):
            _remove_empty(folder)
        raise


def _create(path: Path, text: str) -> None:
    try:
        create_file(path, text)
    except FileExistsError as error:
        raise UsageError("appeared while importing; nothing was replaced", path=path) from error


def _remove_empty(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not empty (another writer's file), or gone: leave it
        folder.rmdir()
