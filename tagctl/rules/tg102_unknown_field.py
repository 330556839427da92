from __future__ import annotations

from tagctl.rules.schema_rule import SchemaRule


class UnknownField(SchemaRule):
    """A field the schema does not define.

    Unknown keys are errors, not extensions: a misspelt `dispaly_name` or
    `depend_on` would otherwise be silently ignored by every tool that reads
    the catalog.
    """

    code = "TG102"
    name = "unknown-field"
    hint = "check the spelling against schemas/tag.schema.json, or remove the field"
    keywords = frozenset({"additionalProperties", "unevaluatedProperties", "propertyNames"})
