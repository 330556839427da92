from __future__ import annotations

from collections.abc import Iterator

from tagctl.rulekit import FileRule, LintContext, Problem, TagFile


class OutsideCatalog(FileRule):
    """A symbolic link leads outside the catalog.

    A tag file, or a folder on the way to tag files, is a symbolic link
    whose real target is not inside the catalog (the folder of tagctl.yaml):

        tags/profile/gender.yaml -> /etc/shadow
        tags/shared -> ../../other-repo/tags

    Lint runs in CI on pull requests from anyone, so such a link could copy
    a file of the machine that checks it into public logs. Its target is
    never opened: not read, parsed, cached or shown, not even its size.
    Links that stay inside the catalog work as usual.
    """

    code = "TG011"
    name = "outside-catalog"
    hint = "commit the file itself, or link to a file inside the catalog"

    def check(self, tag: TagFile, ctx: LintContext) -> Iterator[Problem]:
        found = tag.source.outside
        if found is not None:
            yield Problem(found.message, line=1, column=1)
