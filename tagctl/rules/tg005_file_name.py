from __future__ import annotations

from collections.abc import Iterator

from tagctl.lint.context import LintContext, TagFile
from tagctl.rules.base import FileRule, Problem


class FileName(FileRule):
    """The file name does not match the tag's `name`.

    One tag per file, and the file stem is the tag name, so that a tag can
    be found by its name and a rename shows in version control. The file
    extension is `.yaml` (or `.yml`).

    Bad: `tags/behavior/visit_prod_30d.yaml` holding `name: visit_product_30d`.
    """

    code = "TG005"
    name = "file-name"
    hint = "rename the file to <name>.yaml, or correct name"

    def check(self, tag: TagFile, ctx: LintContext) -> Iterator[Problem]:
        name = tag.text("name")
        if name is not None and name != tag.stem:
            yield Problem(
                f"file is named '{tag.stem}' but the tag is '{name}'",
                path=("name",),
                hint=f"rename the file to {name}.yaml, or set name: {tag.stem}",
            )
