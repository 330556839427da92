from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tagctl.catalog.reader import read_source
from tagctl.catalog.versioning import ENDED
from tagctl.rulekit import CatalogIndex, CatalogRule, LintContext, Problem, TagSummary

if TYPE_CHECKING:
    from tagctl.catalog.similarity import Features, Similarity

# Not in the cached summaries: read only for the tags that could reach the threshold.
READ_FIELDS = ("description", "source", "logic")


class NearDuplicate(CatalogRule):
    """A tag added since the `--against` ref is nearly identical to a live tag.

    Active only with `tagctl lint --against REF`; silent without it. Two
    tags that compute the same thing under two names split usage, KPIs and
    ownership; a new one should reuse the old one, or say plainly how it
    differs. The score is the one of `tagctl search --similar` (name words,
    display names, description, source tables, logic and category, from 0
    to 1; see docs/explore.md); the warning names the closest live tag (not
    deprecated or retired) scoring at least `threshold`, and how many more
    do. Renamed tags (`renamed_from`) are not new.

    For example, `visit_shop_30d` added as a copy of `visit_store_30d`
    with only the name changed scores about 0.9.

    Options:
      threshold (float, default 0.85): the lowest score reported.
    """

    code = "TG507"
    name = "near-duplicate"
    severity = "warning"
    hint = "reuse the existing tag, or make the definition say how this one differs"

    @dataclass(frozen=True)
    class Options:
        threshold: float = field(default=0.85, metadata={"min": 0.0, "max": 1.0})

    def check(self, catalog: CatalogIndex, ctx: LintContext) -> Iterator[tuple[str, Problem]]:
        if ctx.diff is None:
            return
        indexed = {summary.rel for summary in catalog}
        added = [
            change.current
            for change in ctx.diff.changes
            if change.kind == "added"
            and change.current is not None
            and change.current.rel in indexed
            and change.current.text("status") not in ENDED
        ]
        if not added:
            return
        current = {c.current.rel: c.current.data for c in ctx.diff.changes if c.current}
        finder = _Finder(catalog, str(ctx.config.root), current, self.options.threshold)
        for record in added:
            found = finder.matches(record.rel, record.data)
            if found:
                best = found[0]
                more = f"; {len(found) - 1} more above {finder.threshold}" if found[1:] else ""
                message = (
                    f"nearly identical to live tag '{best.name}' (similarity {best.score:.2f}, "
                    f"matched: {', '.join(best.matched)}){more}"
                )
                hint = f"reuse '{best.name}', or make the definition say how this tag differs"
                yield record.rel, Problem(message, ("name",), hint=hint)


class _Finder:
    """The live tags of the index like a given definition, reading as few files as it can.

    Each live tag is first scored on what its cached summary holds (name,
    display names, category); only a tag that could still reach the
    threshold with a perfect description, source and logic is read.
    """

    def __init__(
        self,
        catalog: CatalogIndex,
        root: str,
        current: Mapping[str, Mapping[str, Any]],
        threshold: float,
    ) -> None:
        # lazy: the similarity module only with --against and an added tag
        from tagctl.catalog.similarity import Definition, Features

        self.threshold = threshold
        self.root = root
        self.current = current
        self.live = [tag for tag in catalog if tag.status not in ENDED]
        self.cheap = [
            Features(Definition(tag.name, zh=tag.zh, en=tag.en, category=tag.category))
            for tag in self.live
        ]
        self.full: dict[str, Features] = {}

    def matches(self, rel: str, data: Mapping[str, Any]) -> list[Similarity]:
        """The live tags other than the one at `rel` scoring at least the threshold, best first."""
        # lazy: the similarity module only with --against and an added tag
        from tagctl.catalog.similarity import Definition, Features, headroom, rank, score

        query = Features(Definition.from_data(data))
        needed = self.threshold - headroom(query, READ_FIELDS)  # from the cheap fields
        likely = [
            self._read(tag, cheap)
            for tag, cheap in zip(self.live, self.cheap, strict=True)
            if tag.rel != rel and tag.name != query.name and score(query, cheap) >= needed
        ]
        return rank(query, likely, minimum=self.threshold)

    def _read(self, tag: TagSummary, cheap: Features) -> Features:
        """The tag's whole definition: from the diff when it changed, else from its file."""
        # lazy: the similarity module only with --against and an added tag
        from tagctl.catalog.similarity import Definition, Features

        found = self.full.get(tag.rel)
        if found is None:
            data = self.current.get(tag.rel)
            if data is None:
                source = read_source(Path(os.path.join(self.root, tag.rel)))
                data = source.data if source.ok and isinstance(source.data, dict) else None
            found = Features(Definition.from_data(data)) if data else cheap
            self.full[tag.rel] = found
        return found
