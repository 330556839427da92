from __future__ import annotations

from collections.abc import Iterator

from tagctl.rulekit import FileRule, LintContext, Problem, TagFile


class NamePattern(FileRule):
    """The tag name does not have the shape required for its type.

    tagctl.yaml declares, per tag type, one or more patterns under
    `naming.patterns`, with `{vocabulary}` placeholders. The business
    convention for rule tags is `action_object_window`:

        naming:
          patterns:
            rule: ['^{action}_{object}_{window}$']
            model: '^[a-z][a-z0-9]*(_[a-z0-9]+)*_{model_suffix}(_{window})?$'

    Bad (rule): `product_visitors`. Good: `visit_product_30d`.
    A type with no pattern declared is not checked.
    """

    code = "TG202"
    name = "name-pattern"
    hint = "rename the tag to follow the pattern of its type"

    def check(self, tag: TagFile, ctx: LintContext) -> Iterator[Problem]:
        name, kind = tag.text("name"), tag.text("type")
        if name is None or kind is None:
            return
        verdict = ctx.names.match(kind, name)
        if verdict is not None and not verdict.shape_ok:
            yield Problem(f"{kind} tag name '{name}' does not match {verdict.pattern}", ("name",))
