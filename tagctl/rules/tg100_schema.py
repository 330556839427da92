from __future__ import annotations

from tagctl.rules.schema_rule import CLAIMED, SchemaRule


class Schema(SchemaRule):
    """The file breaks `schemas/tag.schema.json` in a way no other TG1xx rule names.

    The catch-all of the schema rules, so that no schema error goes
    unreported, for instance a document too deeply nested to validate.
    """

    code = "TG100"
    name = "schema"
    hint = "see schemas/tag.schema.json for the allowed form"

    def wants(self, keyword: str) -> bool:
        return keyword not in CLAIMED
