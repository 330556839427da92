"""Planning lifecycle edits over a catalog: which files change, and what refuses.

A plan is computed in full before anything is written: every target is
checked (unknown tags and bad replacements are usage errors; dependents
refuse), every file's new text is made, and only then does `apply` validate
and write them, all or none.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from tagctl.catalog.config import Config
from tagctl.catalog.tags import Tag, load_tags
from tagctl.edit.nodes import EditError
from tagctl.edit.tagtext import Deprecation, TextEdit, deprecate_text
from tagctl.errors import EXIT_FINDINGS, TagctlError, UsageError

_ENDED = ("deprecated", "retired")


class Refused(TagctlError):
    """The catalog forbids the edit (dependents, an invalid result): exit 1."""

    exit_code = EXIT_FINDINGS


@dataclass(frozen=True)
class FileEdit:
    """One tag file before and after; `note` says what was done, for people.

    `new_path` renames the file (in its folder) after it is written. `allow`
    names the rules whose new findings the edit brings on purpose (a
    placeholder left for a person to fill in): validation lets them pass.
    """

    name: str
    path: Path
    before: str
    after: str
    note: str
    new_path: Path | None = None
    allow: tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        return self.before != self.after

    @property
    def renamed(self) -> bool:
        return self.new_path is not None and self.new_path != self.path

    @property
    def target(self) -> Path:
        """Where the file is once written: `new_path`, or where it was."""
        return self.new_path or self.path


@dataclass
class Plan:
    edits: list[FileEdit] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # no-ops, skips, warnings
    refusals: list[str] = field(default_factory=list)

    def refuse_if_any(self) -> None:
        if self.refusals:
            raise Refused("; ".join(self.refusals) + "; nothing written")


class Catalog:
    """The catalog's tags by name, and who depends on whom."""

    def __init__(self, config: Config) -> None:
        self.config = config
        tags, self.skipped = load_tags(config)
        self.tags: Mapping[str, Tag] = {tag.name: tag for tag in tags}

    def get(self, name: str) -> Tag:
        """The tag `name`; a usage error naming the file when it is unknown or unreadable."""
        tag = self.tags.get(name)
        if tag is not None:
            return tag
        for skipped in self.skipped:
            if skipped.path.stem == name:
                raise UsageError(f"cannot read tag {name}: {skipped.reason}", path=skipped.path)
        raise UsageError(f"unknown tag '{name}'", hint="`tagctl lint` lists the catalog's files")

    def dependents(self, name: str, statuses: Iterable[str] | None = None) -> list[str]:
        """Tags whose depends_on names `name`, in the given statuses (default: any)."""
        wanted = set(statuses) if statuses is not None else None
        return sorted(
            tag.name
            for tag in self.tags.values()
            if name in tag.depends_on and (wanted is None or tag.status in wanted)
        )

    def read(self, tag: Tag) -> str:
        try:
            return tag.path.read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise UsageError(f"cannot read tag {tag.name}: {error}", path=tag.path) from error

    @contextmanager
    def editing(self, tag: Tag) -> Iterator[None]:
        """Name the file in an EditError raised while its text is edited."""
        try:
            yield
        except EditError as error:
            raise EditError(f"cannot edit: {error.message}", path=tag.path) from error

    def rel(self, path: Path) -> str:
        try:
            return path.relative_to(self.config.root).as_posix()
        except ValueError:
            return str(path)


@dataclass(frozen=True)
class DeprecateRequest:
    name: str
    deprecation: Deprecation


def plan_deprecations(
    catalog: Catalog, requests: Sequence[DeprecateRequest], today: dt.date, force: bool = False
) -> Plan:
    """What deprecating these tags changes; refusals for online dependents unless `force`.

    Tags deprecated together do not hold each other back.
    """
    targets = {request.name for request in requests}
    plan = Plan()
    for request in requests:
        tag = catalog.get(request.name)
        _check_deprecatable(catalog, tag, request.deprecation, targets)
        live = [d for d in catalog.dependents(tag.name, ["online"]) if d not in targets]
        if live and tag.status != "deprecated":
            if not force:
                plan.refusals.append(
                    f"{tag.name}: online tags depend on it: {', '.join(live)} "
                    "(move them off it first, or pass --force)"
                )
                continue
            plan.notes.append(
                f"warning: {tag.name} is still used by online tags: {', '.join(live)}"
            )
        before = catalog.read(tag)
        with catalog.editing(tag):
            edit = deprecate_text(before, request.deprecation, today)
        record(catalog, plan, tag, before, edit, "deprecated")
    return plan


def _check_deprecatable(
    catalog: Catalog, tag: Tag, deprecation: Deprecation, targets: set[str]
) -> None:
    if tag.status == "retired":
        raise UsageError(f"{tag.name} is retired already; a retired tag is not deprecated again")
    replacement = deprecation.replaced_by
    if replacement is None:
        return
    if replacement == tag.name:
        raise UsageError(f"--replaced-by: {tag.name} cannot replace itself")
    other = catalog.tags.get(replacement)
    if other is None:
        raise UsageError(f"--replaced-by: unknown tag '{replacement}'")
    if other.status in _ENDED or replacement in targets:
        state = "being deprecated too" if replacement in targets else other.status
        raise UsageError(f"--replaced-by: {replacement} is {state}; name a live tag")


def record(catalog: Catalog, plan: Plan, tag: Tag, before: str, edit: TextEdit, verb: str) -> None:
    """Add a tag's edit to the plan, or a note that it needed none."""
    where = catalog.rel(tag.path)
    if edit.version is None:
        plan.notes.append(f"{tag.name} is already {verb} as asked; nothing to do")
        return
    note = f"{verb} {tag.name}: version {tag.version} -> {edit.version}"
    if verb == "deprecated":
        note += f", sunset {edit.sunset}"
    plan.edits.append(FileEdit(tag.name, tag.path, before, edit.text, f"{note} ({where})"))
