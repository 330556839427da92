from __future__ import annotations

from tagctl.rules.schema_rule import SchemaRule


class RequiredField(SchemaRule):
    """A required field is missing.

    Every tag needs `name`, `version`, `display_name` (zh and en),
    `description`, `type`, `category`, `status`, `value_type`, `refresh`,
    `sensitivity`, `owners` (business and data) and `source` (system).
    Changelog entries need `version`, `date` and `change`.
    """

    code = "TG101"
    name = "required-field"
    hint = "add the field; `tagctl new` scaffolds a complete file"
    keywords = frozenset({"required"})
