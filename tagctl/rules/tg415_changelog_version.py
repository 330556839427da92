from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from tagctl.rulekit import AddChangelog, FileRule, Fix, FixContext, LintContext, Problem, TagFile


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

    `tagctl lint --fix` adds the entry, dated today and written like the
    entries around it, with a change text that is a placeholder
    (`TODO: ...`): TG504 reports it until a person writes what changed, so
    a fix never makes up history.
    """

    code = "TG415"
    name = "changelog-version"
    severity = "warning"
    hint = "add a changelog entry: {version, date, change}"
    fixable = True

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

    def fix(self, tag: TagFile, ctx: FixContext) -> Fix | None:
        version = tag.text("version")
        if version is None or not any(self.check(tag, ctx.lint)):
            return None
        change = f"{ctx.placeholder}: say what changed in {version}"
        note = f"added a changelog entry for {version}; replace its placeholder text"
        return Fix(note, (AddChangelog(version, change, ctx.lint.today),), allow=("TG504",))
