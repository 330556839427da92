from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from tagctl.lint.context import LintContext, TagFile
from tagctl.rules.base import FileRule, Problem


class ChangelogVersion(FileRule):
    """The changelog has no entry for the tag's current version.

    The changelog tells a tag's users what changed and when; an entry for
    every version is what makes it trustworthy. A tag whose `changelog`
    lists other versions but not the one in `version` was changed without
    saying so. A tag with no changelog at all is not reported unless the
    option says so (then TG416 still asks for one on every changed tag
    with `--against`). Needs no git ref: it reads one file.

    Options:
      required (bool, default false): report tags without any changelog too.

    For example, `version: 1.3.0` with a changelog whose newest entry is
    1.2.0.
    """

    code = "TG415"
    name = "changelog-version"
    severity = "warning"
    hint = "add a changelog entry: {version, date, change}"

    @dataclass(frozen=True)
    class Options:
        required: bool = False

    def check(self, tag: TagFile, ctx: LintContext) -> Iterator[Problem]:
        version = tag.text("version")
        changelog = tag.get("changelog")
        if not version:
            return
        if not isinstance(changelog, list):
            if self.options.required and changelog is None:
                yield Problem(f"no changelog; add an entry for version {version}", ("version",))
            return
        versions = {str(entry.get("version")) for entry in changelog if isinstance(entry, dict)}
        if version not in versions:
            yield Problem(
                f"the changelog has no entry for version {version}", ("changelog",), at_key=True
            )
