from __future__ import annotations

from tagctl.rules.schema_rule import SchemaRule


class InvalidValue(SchemaRule):
    """A field holds a value outside its allowed set.

    `type`, `status`, `value_type`, `refresh`, `tier`, `sensitivity` and
    `granularity` take one of a fixed list of words; the message lists them.
    """

    code = "TG104"
    name = "invalid-value"
    hint = "use one of the listed values"
    keywords = frozenset({"enum", "const"})
