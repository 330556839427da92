"""The state of one lint run, shared by the engine and its cross-file pass."""

from __future__ import annotations

from dataclasses import dataclass, field

from tagctl.catalog.config import Config
from tagctl.lint.cache import Entry, LintCache
from tagctl.lint.settings import ActiveRule
from tagctl.rulekit import LintContext


@dataclass
class Run:
    """What one lint run has found so far; the cross-file pass reads it too."""

    config: Config
    rules: list[ActiveRule]
    ctx: LintContext
    cache: LintCache
    entries: dict[str, Entry] = field(default_factory=dict)
    paths: dict[str, str] = field(default_factory=dict)
