"""`tagctl search --similar` and the reuse check of `tagctl new`: tags like a given one.

Both rank the catalog's tags by the text similarity of their definitions
(`tagctl.catalog.similarity`: name words, display names, description,
source tables, logic and category, one score in [0, 1]). `similar` ranks
every other tag of the catalog against an existing tag; `reuse` ranks the
live tags (not deprecated or retired) against a draft that has only a
name and a category yet.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tagctl.catalog.similarity import Definition, Features, Similarity, rank
from tagctl.catalog.tags import Tag
from tagctl.catalog.versioning import ENDED
from tagctl.errors import UsageError
from tagctl.explore.lookup import find_tag

DEFAULT_LIMIT = 10
REUSE_THRESHOLD = 0.6  # `tagctl new` stops at a live tag scoring at least this
REUSE_SHOWN = 3  # the matches `tagctl new` prints


@dataclass(frozen=True)
class SimilarTag:
    """A tag of the catalog and how alike it is to the one asked about."""

    tag: Tag
    similarity: Similarity

    @property
    def score(self) -> float:
        return self.similarity.score


def definition(tag: Tag) -> Definition:
    return Definition(
        name=tag.name,
        zh=tag.zh,
        en=tag.en,
        description=tag.description,
        category=tag.category,
        tables=tag.source_tables,
        logic=tag.logic,
    )


def similar(tags: Sequence[Tag], name: str, limit: int = DEFAULT_LIMIT) -> list[SimilarTag]:
    """The `limit` tags most like the tag `name`, best first (score, then name).

    An unknown name or a limit below 1 is a usage error.
    """
    if limit < 1:
        raise UsageError(f"--limit must be at least 1, not {limit}")
    query = find_tag(tags, name)
    others = [tag for tag in tags if tag.name != name]
    features = [Features(definition(tag)) for tag in others]
    return _ranked(Features(definition(query)), others, features, limit, 0.0)


def reuse(
    tags: Sequence[Tag],
    name: str,
    category: str,
    threshold: float = REUSE_THRESHOLD,
    limit: int = REUSE_SHOWN,
) -> list[SimilarTag]:
    """The live tags a new tag `name` in `category` most likely duplicates, best first.

    A draft has no display names, description, source or logic yet, so it is
    compared by its name words (the window apart) and its category; only
    the query's fields count, so the other tags' texts are not even read.
    """
    live = [tag for tag in tags if tag.status not in ENDED and tag.name != name]
    query = Features(Definition(name=name, category=category))
    features = [Features(Definition(tag.name, category=tag.category)) for tag in live]
    return _ranked(query, live, features, limit, threshold)


def _ranked(
    query: Features, tags: Sequence[Tag], features: Sequence[Features], limit: int, minimum: float
) -> list[SimilarTag]:
    by_name = {tag.name: tag for tag in tags}
    return [
        SimilarTag(by_name[found.name], found) for found in rank(query, features, limit, minimum)
    ]
