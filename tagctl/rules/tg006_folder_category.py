from __future__ import annotations

from collections.abc import Iterator

from tagctl.rulekit import FileRule, LintContext, Problem, TagFile


class FolderCategory(FileRule):
    """The file's folder does not match the tag's `category`.

    Tags live in `tags/<category>/<name>.yaml`, so that the folder tree is
    the taxonomy people browse. A tag placed directly under `tags/` is
    reported too.
    """

    code = "TG006"
    name = "folder-category"
    hint = "move the file to tags/<category>/, or correct category"

    def check(self, tag: TagFile, ctx: LintContext) -> Iterator[Problem]:
        category = tag.text("category")
        if category is not None and category != tag.folder:
            yield Problem(
                f"file is in folder '{tag.folder}' but its category is '{category}'",
                path=("category",),
                hint=f"move it to tags/{category}/"
                + (f", or set category: {tag.folder}" if tag.folder else ""),
            )
