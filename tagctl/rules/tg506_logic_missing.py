from __future__ import annotations

from collections.abc import Iterator

from tagctl.rulekit import FileRule, LintContext, Problem, TagFile

_DERIVED = {"rule", "model", "strategy"}


class LogicMissing(FileRule):
    """A derived tag does not say how it is computed.

    Rule, model and strategy tags are computed; their `logic` (SQL, or a
    prose description of the model) is what lets a reviewer check the
    definition and a successor rebuild it. Fact tags may omit it.
    """

    code = "TG506"
    name = "logic-missing"
    severity = "warning"
    hint = "add logic: the SQL, or a description of the model"

    def check(self, tag: TagFile, ctx: LintContext) -> Iterator[Problem]:
        kind = tag.text("type")
        if kind in _DERIVED and not (tag.text("logic") or "").strip():
            yield Problem(f"{kind} tag without logic", ("type",))
