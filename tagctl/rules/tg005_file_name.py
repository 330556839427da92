from __future__ import annotations

import os
from collections.abc import Iterator

from tagctl.catalog.source import Source
from tagctl.rulekit import (
    FileRule,
    Fix,
    FixContext,
    LintContext,
    NoFix,
    Problem,
    RenameFile,
    SetValue,
    TagFile,
)

NAMING_RULES = ("TG201", "TG202", "TG203", "TG204")


class FileName(FileRule):
    """The file name does not match the tag's `name`.

    One tag per file, and the file stem is the tag name, so that a tag can
    be found by its name and a rename shows in version control. The file
    extension is `.yaml` (or `.yml`).

    Bad: `tags/behavior/visit_prod_30d.yaml` holding `name: visit_product_30d`.

    `tagctl lint --fix` repairs the side that is clearly wrong: when the
    name passes the naming rules (TG201-TG204, as enabled) and the file
    name does not, the file is renamed in its folder; in the opposite case
    `name:` is set to the file name. Nothing is done when both or neither
    pass, when another tag already has the chosen name or file, or when
    other tags refer to the name that would change.
    """

    code = "TG005"
    name = "file-name"
    hint = "rename the file to <name>.yaml, or correct name"
    fixable = True

    def check(self, tag: TagFile, ctx: LintContext) -> Iterator[Problem]:
        name = tag.text("name")
        if name is not None and name != tag.stem:
            yield Problem(
                f"file is named '{tag.stem}' but the tag is '{name}'",
                path=("name",),
                hint=f"rename the file to {name}.yaml, or set name: {tag.stem}",
            )

    def fix(self, tag: TagFile, ctx: FixContext) -> Fix | NoFix | None:
        name, stem = tag.text("name"), tag.stem
        if name is None or name == stem:
            return None
        name_ok, stem_ok = _passes(name, tag, ctx), _passes(stem, tag, ctx)
        if name_ok == stem_ok:
            both = (
                f"both '{stem}' and '{name}' pass"
                if name_ok
                else f"neither '{stem}' nor '{name}' passes"
            )
            return NoFix(f"{both} the naming rules; choose by hand")
        if name_ok:
            return _rename_file(tag, name, ctx)
        return _set_name(tag, name, ctx)


def _passes(candidate: str, tag: TagFile, ctx: FixContext) -> bool:
    """True when the naming rules would accept the tag under the name `candidate`."""
    probe = TagFile(Source(tag.source.path, data={**tag.data, "name": candidate}), tag.rel)
    naming = [ctx.rules[code] for code in NAMING_RULES if code in ctx.rules]
    return not any(
        isinstance(rule, FileRule) and any(rule.check(probe, ctx.lint)) for rule in naming
    )


def _rename_file(tag: TagFile, name: str, ctx: FixContext) -> Fix | NoFix:
    path = str(tag.source.path)
    target = os.path.join(os.path.dirname(path), name + os.path.splitext(path)[1])
    others = [held for held in ctx.names.holders(name) if held != os.path.abspath(path)]
    if others:
        return NoFix(f"another tag is named '{name}' already ({others[0]})")
    if os.path.lexists(target) and not _same_file(path, target):
        return NoFix(f"{os.path.basename(target)} exists already")
    base = os.path.basename(target)
    return Fix(f"renamed the file to {base}", (RenameFile(base),))


def _set_name(tag: TagFile, name: str, ctx: FixContext) -> Fix | NoFix:
    stem = tag.stem
    if any(held != os.path.abspath(tag.source.path) for held in ctx.names.holders(stem)):
        return NoFix(f"another tag is named '{stem}' already")
    referrers = [other for other in ctx.names.referrers(name) if other != name]
    if referrers:
        return NoFix(f"'{name}' is referred to by {', '.join(referrers)}; rename by hand")
    return Fix(f"set name: {stem} (the file's name)", (SetValue(("name",), stem),))


def _same_file(path: str, other: str) -> bool:
    """True when `other` is `path` under another spelling (a case-insensitive file system)."""
    try:
        return os.path.samefile(path, other)
    except OSError:
        return False
