from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass

from tagctl.rulekit import (
    FileRule,
    Fix,
    FixContext,
    LintContext,
    Problem,
    Reorder,
    TagFile,
    canonical_order,
)

# The order of the example tag file in the design: identity, meaning, shape,
# operations, ownership, computation, lifecycle.
CANONICAL_ORDER = (
    "name",
    "version",
    "display_name",
    "description",
    "type",
    "category",
    "status",
    "value_type",
    "values",
    "range",
    "bins",
    "window",
    "refresh",
    "granularity",
    "tier",
    "sensitivity",
    "owners",
    "source",
    "logic",
    "depends_on",
    "renamed_from",
    "quality",
    "deprecation",
    "changelog",
)


class KeyOrder(FileRule):
    """A top-level key is out of the catalog's canonical order.

    When every tag file lists its fields in the same order, files read
    alike and reviews compare like with like. Off by default; a catalog
    turns it on in tagctl.yaml (`lint: {rules: {TG010: warning}}`). The
    fewest keys that would have to move are reported, each with the key
    it belongs after. Keys the order does not name belong after all the
    ones it names, in the order they have.

    `tagctl lint --fix` moves whole entries into order (a key, its value,
    and the comment lines right above it) in block-style files; a file
    written as one flow mapping `{...}` is left to be reordered by hand.

    Options:
      order (list of str): the canonical order; by default that of the
        design's example file, from `name`, `version`, `display_name` to
        `deprecation`, `changelog`.

    Bad: `owners:` above `status:`.
    """

    code = "TG010"
    name = "key-order"
    severity = "off"
    hint = "move the key into place, or run tagctl lint --fix"
    fixable = True

    @dataclass(frozen=True)
    class Options:
        order: tuple[str, ...] = CANONICAL_ORDER

    def check(self, tag: TagFile, ctx: LintContext) -> Iterator[Problem]:
        if tag.source.duplicates:
            return  # TG002 comes first: the order of a key written twice is unclear
        keys = [str(key) for key in tag.data]
        rank = {key: index for index, key in enumerate(self.options.order)}
        places = [rank.get(key, len(rank)) for key in keys]
        in_order = _longest_ordered(places)
        wanted = canonical_order(keys, self.options.order)
        for index, key in enumerate(keys):
            if index not in in_order:
                after = wanted.index(key)
                where = f"after '{wanted[after - 1]}'" if after else "first"
                yield Problem(f"'{key}' is out of order: it belongs {where}", (key,), at_key=True)

    def fix(self, tag: TagFile, ctx: FixContext) -> Fix | None:
        if not any(self.check(tag, ctx.lint)):
            return None
        return Fix(
            "moved the top-level keys into the canonical order", (Reorder(self.options.order),)
        )


def _longest_ordered(places: list[int]) -> set[int]:
    """Indexes of a longest run of `places` that never decreases: the keys that stay put."""
    tails: list[int] = []  # tails[n]: index ending the best run of length n + 1
    ends: list[int] = []  # ends[n]: places[tails[n]]
    previous: list[int] = [-1] * len(places)
    for index, place in enumerate(places):
        length = bisect.bisect_right(ends, place)
        previous[index] = tails[length - 1] if length else -1
        if length == len(tails):
            tails.append(index)
            ends.append(place)
        else:
            tails[length], ends[length] = index, place
    kept, index = set(), tails[-1] if tails else -1
    while index != -1:
        kept.add(index)
        index = previous[index]
    return kept
