from __future__ import annotations

from tagctl.rules.schema_rule import SchemaRule


class WrongType(SchemaRule):
    """A field holds a value of the wrong type.

    Common causes: `version: 1.2` (a number; quote it or write 1.2.0), a
    single string where a list is expected (`depends_on: visit_store_30d`),
    or a field left empty (`owners:` with nothing after it is null).
    """

    code = "TG103"
    name = "wrong-type"
    hint = "write the value in the type the schema expects"
    keywords = frozenset({"type"})
