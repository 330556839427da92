from __future__ import annotations

from collections.abc import Iterator

from tagctl.rulekit import FileRule, LintContext, Problem, TagFile

_SENSITIVE = {"confidential", "restricted"}


class SensitiveDataOwner(FileRule):
    """A confidential or restricted tag has no separate data owner.

    Health data, pregnancy status, allergy history: for a tag of
    sensitivity `confidential` or `restricted`, someone other than the
    business owner answers for access to the data (`owners.data`), so that
    the person who wants to use the tag is not the only one who decides.
    """

    code = "TG503"
    name = "sensitive-data-owner"
    hint = "name a data owner distinct from the business owner"

    def check(self, tag: TagFile, ctx: LintContext) -> Iterator[Problem]:
        sensitivity = tag.text("sensitivity")
        if sensitivity not in _SENSITIVE:
            return
        business, data = tag.text("owners", "business"), tag.text("owners", "data")
        if not data:
            yield Problem(f"{sensitivity} tag without a data owner", ("sensitivity",))
        elif business and data.strip().lower() == business.strip().lower():
            yield Problem(
                f"{sensitivity} tag whose data owner is also its business owner",
                ("owners", "data"),
            )
