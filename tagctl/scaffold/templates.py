"""The packaged catalog templates: plain files under `templates/`.

`templates/index.yaml` lists the templates in order, each with the industry
it is made for. A template is the folder of the same name, holding the
`tagctl.yaml`, README.md and `tags/` of a new catalog; the files of
`templates/_shared/` (pre-commit config, .gitignore) go into every new
catalog too. Files are copied byte for byte, except that the marker
`{{ tagctl_version }}` becomes the installed tagctl version.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path, PurePosixPath

import yaml

TEMPLATES_DIR = Path(__file__).parent / "templates"
SHARED = "_shared"
VERSION_MARKER = b"{{ tagctl_version }}"
_NOT_COPIED = {"__pycache__", ".tagctl"}  # byte code; the state of a lint run inside a template


@dataclass(frozen=True)
class Template:
    """One template: its name, the industry it suits, and its folder."""

    name: str
    industry: str
    industry_zh: str
    root: Path

    def files(self) -> list[tuple[PurePosixPath, Path]]:
        """(path in the new catalog, packaged file) for every file, sorted by path."""
        found = dict(_walk(TEMPLATES_DIR / SHARED))
        found.update(_walk(self.root))
        return sorted(found.items())

    def tag_files(self) -> list[PurePosixPath]:
        """The tag files of the new catalog, by their path in it."""
        return [
            path
            for path, _ in self.files()
            if path.parts[0] == "tags" and path.suffix in (".yaml", ".yml")
        ]

    def categories(self) -> list[str]:
        """The category keys declared in the template's tagctl.yaml, in order."""
        with (self.root / "tagctl.yaml").open(encoding="utf-8") as handle:
            config = yaml.safe_load(handle)
        return list(config["categories"])


def _walk(folder: Path) -> Iterator[tuple[PurePosixPath, Path]]:
    for path in folder.rglob("*"):
        relative = PurePosixPath(path.relative_to(folder).as_posix())
        if path.is_file() and _NOT_COPIED.isdisjoint(relative.parts):
            yield relative, path


@cache
def templates() -> Mapping[str, Template]:
    """Every packaged template by name, in the order of index.yaml."""
    with (TEMPLATES_DIR / "index.yaml").open(encoding="utf-8") as handle:
        index = yaml.safe_load(handle)
    return {
        name: Template(name, entry["industry"], entry["zh"], TEMPLATES_DIR / name)
        for name, entry in index.items()
    }


def render(content: bytes, version: str) -> bytes:
    """A packaged file's bytes as written into the new catalog."""
    return content.replace(VERSION_MARKER, version.encode())
