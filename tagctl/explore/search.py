"""`tagctl search`: find tags by name, display names (zh and en) and description.

A query is split into terms at spaces and underscores; a tag matches when
every term is found somewhere in it. How well it matches is the weakest of
its terms' best matches, in this order (best first):

1. exact name: the whole query is the tag's name (`skin_type`, `skin type`);
2. name token: the term is a whole word of the name (`repurchase` in
   `high_potential_repurchase`);
3. display name: the term is in the Chinese or English display name, or
   begins a word of the name (`repurch`);
4. description: the term is in the description or in an enum value's
   label (`油性` finds `skin_type`).

Chinese has no spaces between words, so a term with CJK characters matches
anywhere inside the text (`复购` in `高潜复购人群`); a Latin term matches at
the start of a word, case-insensitively (`skin` finds "Skin type", not
"foreskin"). Within one level, a display name equal to the whole query comes
first, then tags in use before deprecated and retired ones, then by name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import IntEnum

from tagctl.catalog.tags import Tag
from tagctl.errors import UsageError


class Match(IntEnum):
    DESCRIPTION = 1
    DISPLAY_NAME = 2
    NAME_TOKEN = 3
    NAME = 4

    @property
    def label(self) -> str:
        return self.name.lower()


@dataclass(frozen=True)
class Hit:
    tag: Tag
    match: Match
    exact_label: bool = False

    def sort_key(self) -> tuple[int, bool, bool, str]:
        ended = self.tag.status in ("deprecated", "retired")
        return (-self.match, not self.exact_label, ended, self.tag.name)


_CJK = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f]")
_SPLIT = re.compile(r"[\s_\u3000]+")


def search(tags: Iterable[Tag], query: str) -> list[Hit]:
    """The tags matching `query`, best first."""
    terms = terms_of(query)
    if not terms:
        raise UsageError("the search query is empty")
    whole = "_".join(terms)
    hits = []
    for tag in tags:
        match = Match.NAME if tag.name.casefold() == whole else _weakest(tag, terms)
        if match is not None:
            exact = whole.replace("_", " ") in (tag.zh.casefold(), tag.en.casefold())
            hits.append(Hit(tag, match, exact))
    return sorted(hits, key=Hit.sort_key)


def terms_of(query: str) -> list[str]:
    return [term for term in _SPLIT.split(query.casefold().strip()) if term]


def _weakest(tag: Tag, terms: Sequence[str]) -> Match | None:
    weakest: Match | None = None
    for term in terms:
        best = _best(tag, term)
        if best is None:
            return None
        weakest = best if weakest is None else min(weakest, best)
    return weakest


def _best(tag: Tag, term: str) -> Match | None:
    tokens = tag.name.casefold().split("_")
    if term in tokens:
        return Match.NAME_TOKEN
    if any(token.startswith(term) for token in tokens) or _found(term, tag.zh, tag.en):
        return Match.DISPLAY_NAME
    labels = (text for value in tag.values for text in (value.value, value.zh, value.en))
    if _found(term, tag.description, *labels):
        return Match.DESCRIPTION
    return None


def _found(term: str, *texts: str) -> bool:
    """`term` in any of `texts`: anywhere for CJK, at a word start for Latin."""
    if _CJK.search(term):
        return any(term in text.casefold() for text in texts)
    pattern = _word_start(term)
    return any(pattern.search(text.casefold()) for text in texts)


def _word_start(term: str) -> re.Pattern[str]:
    return re.compile(r"(?<![a-z0-9])" + re.escape(term))
