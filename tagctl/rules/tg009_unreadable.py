from __future__ import annotations

from collections.abc import Iterator

from tagctl.rulekit import FileRule, LintContext, Problem, TagFile


class Unreadable(FileRule):
    """The file cannot be read.

    Permissions, a broken symbolic link, a link that points back to itself
    or to a folder above it, or something that is not a regular file (a
    folder such as `tags/profile/gender.yaml/`, a FIFO, a device) where a
    tag file is expected. A folder named like a tag file is not searched
    for tags.
    """

    code = "TG009"
    name = "unreadable"
    hint = "fix the permissions or the link, or remove the entry"

    def check(self, tag: TagFile, ctx: LintContext) -> Iterator[Problem]:
        error = tag.source.unreadable
        if error is not None:
            yield Problem(f"cannot read the file: {error.message}", line=1, column=1)
