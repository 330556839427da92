"""Everything a rule needs, and nothing of the machinery that runs it.

A rule module imports from here only (and from `tagctl.catalog`): the tag
file and the catalog index it reads, the lint context, the rule base
classes and `Problem`, and the declarative `Fix` with its edit operations.
The lint engine, `lint --fix` and the editor sit above and use the same
types.
"""

from tagctl.rulekit.fixes import (
    AddChangelog,
    EditOperation,
    Fix,
    NoFix,
    RenameFile,
    Reorder,
    SetValue,
    canonical_order,
)
from tagctl.rulekit.rule import (
    CatalogNames,
    CatalogRule,
    DefaultSeverity,
    FileRule,
    Finding,
    FixContext,
    LintContext,
    NoOptions,
    Problem,
    Referrers,
    Rule,
    Severity,
)
from tagctl.rulekit.tagfile import CatalogIndex, Edge, TagFile, TagSummary, summarize

__all__ = [
    "AddChangelog",
    "CatalogIndex",
    "CatalogNames",
    "CatalogRule",
    "DefaultSeverity",
    "Edge",
    "EditOperation",
    "FileRule",
    "Finding",
    "Fix",
    "FixContext",
    "LintContext",
    "NoFix",
    "NoOptions",
    "Problem",
    "Referrers",
    "RenameFile",
    "Reorder",
    "Rule",
    "SetValue",
    "Severity",
    "TagFile",
    "TagSummary",
    "canonical_order",
    "summarize",
]
