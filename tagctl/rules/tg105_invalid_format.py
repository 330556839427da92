from __future__ import annotations

from tagctl.rules.schema_rule import SchemaRule


class InvalidFormat(SchemaRule):
    """A value has the right type but the wrong form or size.

    A version that is not semantic (`1.2.0`), a date that is not
    `YYYY-MM-DD` or does not exist (`2026-02-30`), a window that is not
    `Nd`/`Nw`/`Nm`/`Ny`/`lifetime`, an empty or over-long string, a list
    with repeated items, a fraction outside [0, 1].
    """

    code = "TG105"
    name = "invalid-format"
    hint = "correct the value to the documented form"
    keywords = frozenset(
        {
            "pattern",
            "format",
            "minLength",
            "maxLength",
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "minItems",
            "maxItems",
            "uniqueItems",
            "minProperties",
            "maxProperties",
            "multipleOf",
        }
    )
