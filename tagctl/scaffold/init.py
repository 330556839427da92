"""`tagctl init`: a new catalog from a template, never over an existing file.

Every destination is checked before the first byte is written: when any of
them exists (or a file stands where a folder must go), nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from tagctl import __version__
from tagctl.errors import RuntimeFailure, UsageError
from tagctl.scaffold.templates import Template, render, templates


@dataclass(frozen=True)
class InitResult:
    """What `init_catalog` created."""

    root: Path
    template: Template
    files: tuple[Path, ...]
    tags: int


def find_template(name: str) -> Template:
    """The template called `name`; a UsageError listing them all otherwise."""
    known = templates()
    if name not in known:
        raise UsageError(f"unknown template '{name}' (choose from {', '.join(known)})")
    return known[name]


def init_catalog(root: Path, template_name: str) -> InitResult:
    """Copy the template `template_name` into the folder `root` (created when missing)."""
    template = find_template(template_name)
    plan = [(root.joinpath(*relative.parts), source) for relative, source in template.files()]
    try:
        conflict = first_conflict(root, [target for target, _ in plan])
    except OSError as exc:
        raise RuntimeFailure(f"cannot look here: {exc.strerror or exc}", path=root) from exc
    if conflict is not None:
        raise UsageError(
            "already exists; nothing was written", path=conflict, hint="choose an empty folder"
        )
    for target, source in plan:
        _write(target, render(source.read_bytes(), __version__))
    return InitResult(
        root, template, tuple(target for target, _ in plan), len(template.tag_files())
    )


def first_conflict(root: Path, targets: list[Path]) -> Path | None:
    """The first path in the way: an existing target, or a file where a folder must be."""
    for above in (root, *root.absolute().parents):
        if above.exists() or above.is_symlink():
            if not above.is_dir():
                return above
            break
    for target in targets:
        for folder in _folders_between(root, target):
            if folder.exists() and not folder.is_dir():
                return folder
        if target.exists() or target.is_symlink():
            return target
    return None


def _folders_between(root: Path, target: Path) -> list[Path]:
    """The folders below `root` that lead to `target`, outermost first."""
    relative = PurePosixPath(target.relative_to(root).as_posix())
    folders: list[Path] = []
    for part in relative.parts[:-1]:
        folders.append((folders[-1] if folders else root) / part)
    return folders


def _write(target: Path, content: bytes) -> None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("xb") as handle:  # x: never replace a file that appeared meanwhile
            handle.write(content)
    except OSError as exc:
        raise RuntimeFailure(f"cannot write: {exc.strerror or exc}", path=target) from exc
