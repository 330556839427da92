"""How alike two tag definitions are: one score in [0, 1] from their text alone.

No model and no corpus statistics: each definition becomes a few sets of
terms, computed once (`Features`), and two definitions are compared field
by field with the Jaccard index |A ∩ B| / |A ∪ B| of their sets. The score
is the weighted mean over the fields the first definition (the query)
has:

- `name` (0.15): the words of the name split at `_`, without its window
  suffix (`30d`, `1y`, `lifetime`); the Jaccard index of the words is
  multiplied by 1.0 when both windows agree (or neither has one), 0.9 when
  the names have different windows, 0.85 when only one has a window;
- `zh` (0.15): character bigrams of the Chinese display name (a run of one
  character counts as itself);
- `en` (0.10): the words of the English display name;
- `description` (0.15): its words, and bigrams of its Chinese text;
- `source` (0.10): the `source.tables`, lower case (`source.system` is
  left out: most tags share a few systems);
- `logic` (0.30): the identifiers, words and string literals of the SQL (or
  prose), lower case, whitespace and layout ignored, SQL keywords and the
  columns every tag has (`user_id`, `tag_value`) left out; `i.sku_id`
  counts as `sku_id`;
- `category` (0.05): equal or not.

Words are lower case, stemmed crudely (`visited`, `visits` -> `visit`),
and common English words (`the`, `in`, `customer`, `last`, `days`) are left
out, as are numbers, so that the window is judged once, by the name. A
field holding a placeholder (`TODO`, `TBD`, `FIXME`, `XXX`) or nothing
does not count: a draft made by `tagctl new` is compared by its name and
category alone, which then weigh 0.15 and 0.05 out of 0.20.

Identical definitions score 1 and definitions with nothing in common 0.
The score is not symmetric when one side lacks a field the other has: it
says how much of what the query says is found in the other tag. Scores
are rounded to 4 decimal places; rankings are by score, then name.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
from operator import add
from types import MappingProxyType
from typing import Any

from tagctl.catalog.source import PLACEHOLDER_WORDS

FIELDS: tuple[str, ...] = ("name", "zh", "en", "description", "source", "logic", "category")
WEIGHTS: Mapping[str, float] = MappingProxyType(
    {
        "name": 0.15,
        "zh": 0.15,
        "en": 0.10,
        "description": 0.15,
        "source": 0.10,
        "logic": 0.30,
        "category": 0.05,
    }
)
MATCHED = 0.5  # a field "matched" when its own similarity is at least this
SAME_WINDOW, OTHER_WINDOW, ONE_WINDOW = 1.0, 0.9, 0.85
DIGITS = 4  # scores are rounded to this many decimal places

_SET_FIELDS = FIELDS[1:]  # every field but the name is a plain set of terms
_SET_WEIGHTS = tuple(WEIGHTS[name] for name in _SET_FIELDS)
_EMPTY: frozenset[str] = frozenset()

_PLACEHOLDER = re.compile(r"\b(?:" + "|".join(PLACEHOLDER_WORDS) + r")\b")
# An identifier or word (`dws.orders`, `i.sku_id`, `visited`), or a run of CJK characters.
_TOKEN = re.compile(
    r"[a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)*|[\u2e80-\u2fff\u3040-\u9fff\uac00-\ud7af\uf900-\ufaff]+"
)
_CJK_FROM = "\u2e80"
_WINDOW = re.compile(r"[0-9]+[a-z]{1,2}|lifetime")

_ENGLISH = """a an the and or not no of in on at to for from by with within into over under
than then as is are was were be been being has have had do did does it its this that these
those who whom which what when where while any all each every one least most more less
per via e g ie eg etc only also same last past recent day days week weeks month months
year years time times customer customers member members user users people person tag tags"""
_SQL = """select from where and or not in is null as on join left right inner outer full cross
group by order having limit offset union all distinct case when then else end count sum max
min avg between like ilike exists with over partition desc asc cast coalesce true false
interval current_date current_timestamp now date timestamp datediff date_diff date_sub
date_add extract if ifnull nullif row_number rank lag lead filter using values set
user_id tag_value"""
STOP_WORDS = frozenset((_ENGLISH + " " + _SQL).split())


@dataclass(frozen=True)
class Definition:
    """The parts of a tag that say what it means; empty where the tag says nothing."""

    name: str
    zh: str = ""
    en: str = ""
    description: str = ""
    category: str = ""
    tables: tuple[str, ...] = ()
    logic: str = ""

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Definition:
        """The definition of a tag file's parsed mapping; values of the wrong type are empty."""
        labels = _mapping(data.get("display_name"))
        source = _mapping(data.get("source"))
        tables = source.get("tables")
        listed = tables if isinstance(tables, list) else []
        return cls(
            name=_text(data.get("name")),
            zh=_text(labels.get("zh")),
            en=_text(labels.get("en")),
            description=_text(data.get("description")),
            category=_text(data.get("category")),
            tables=tuple(table for table in listed if isinstance(table, str)),
            logic=_text(data.get("logic")),
        )


class Features:
    """A definition's term sets, computed once and compared many times."""

    __slots__ = ("name", "sets", "total", "window", "words")

    def __init__(self, definition: Definition) -> None:
        self.name = definition.name
        self.words, self.window = name_words(definition.name)
        tables = frozenset(t.lower() for t in definition.tables if not _placeholder(t))
        self.sets: tuple[frozenset[str], ...] = (
            terms(definition.zh),
            terms(definition.en),
            terms(definition.description),
            tables,
            terms(definition.logic),
            frozenset((definition.category,)) if definition.category else _EMPTY,
        )
        self.total = (WEIGHTS["name"] if self.words else 0.0) + sum(
            weight for weight, found in zip(_SET_WEIGHTS, self.sets, strict=True) if found
        )

    @property
    def fields(self) -> tuple[str, ...]:
        """The fields this definition has, in FIELDS order."""
        named = ("name",) if self.words else ()
        return named + tuple(f for f, found in zip(_SET_FIELDS, self.sets, strict=True) if found)


@dataclass(frozen=True)
class Similarity:
    """How alike the query is to the tag `name`: the score and each field's share."""

    name: str
    score: float
    fields: tuple[tuple[str, float], ...]  # (field, similarity) for every field of the query

    @property
    def matched(self) -> tuple[str, ...]:
        """The fields whose similarity is at least MATCHED, in FIELDS order."""
        return tuple(name for name, value in self.fields if value >= MATCHED)


def score(query: Features, other: Features) -> float:
    """The similarity of `other` to `query`, rounded to DIGITS places."""
    if not query.total:
        return 0.0
    total = WEIGHTS["name"] * _name_similarity(query, other) if query.words else 0.0
    for weight, mine, theirs in zip(_SET_WEIGHTS, query.sets, other.sets, strict=True):
        if mine and theirs:
            common = len(mine & theirs)
            if common:
                total += weight * common / (len(mine) + len(theirs) - common)
    return round(total / query.total, DIGITS)


def compare(query: Features, other: Features) -> Similarity:
    """The score of `other` against `query`, with the similarity of each field."""
    parts = []
    if query.words:
        parts.append(("name", round(_name_similarity(query, other), DIGITS)))
    for field, mine, theirs in zip(_SET_FIELDS, query.sets, other.sets, strict=True):
        if mine:
            parts.append((field, round(_jaccard(mine, theirs), DIGITS)))
    return Similarity(other.name, score(query, other), tuple(parts))


def rank(
    query: Features, others: Iterable[Features], limit: int | None = None, minimum: float = 0.0
) -> list[Similarity]:
    """The `others` scoring at least `minimum` (and above 0), best first, then by name.

    Only the best `limit` are compared field by field.
    """
    candidates = list(others)
    scored = [
        (-value, other.name, index)
        for index, other in enumerate(candidates)
        if (value := score(query, other)) > 0 and value >= minimum
    ]
    best = heapq.nsmallest(limit, scored) if limit is not None else sorted(scored)
    return [compare(query, candidates[index]) for _, _, index in best]


def headroom(query: Features, unknown: Collection[str]) -> float:
    """How much the `unknown` fields can add at most to a score against `query`.

    A tag scored with those fields left empty cannot score more than that
    score plus this, so a caller can compare the cheap fields first and read
    the rest of a tag only when it could still reach a threshold. One unit
    of the last decimal place is added for the rounding of both scores.
    """
    if not query.total:
        return 0.0
    missing = sum(WEIGHTS[field] for field in query.fields if field in unknown)
    return missing / query.total + 10.0**-DIGITS


def name_words(name: str) -> tuple[frozenset[str], str]:
    """The words of a tag name without its window, and the window ("" if none)."""
    words = [word for word in name.lower().split("_") if word]
    window = words.pop() if len(words) > 1 and _WINDOW.fullmatch(words[-1]) else ""
    return frozenset(words), window


def terms(text: str) -> frozenset[str]:
    """The terms of a text field: stemmed words and identifiers, and bigrams of CJK runs."""
    if not text or _placeholder(text):
        return _EMPTY
    tokens = set(_TOKEN.findall(text.lower()))
    return frozenset(chain.from_iterable(map(_terms_of, tokens)))


def _placeholder(text: str) -> bool:
    return any(word in text for word in PLACEHOLDER_WORDS) and bool(_PLACEHOLDER.search(text))


def _name_similarity(query: Features, other: Features) -> float:
    words = _jaccard(query.words, other.words)
    if not words:
        return 0.0
    if query.window == other.window:
        return words * SAME_WINDOW
    return words * (OTHER_WINDOW if query.window and other.window else ONE_WINDOW)


def _jaccard(mine: frozenset[str], theirs: frozenset[str]) -> float:
    common = len(mine & theirs)
    return common / (len(mine) + len(theirs) - common) if common else 0.0


@lru_cache(maxsize=1 << 17)
def _terms_of(token: str) -> tuple[str, ...]:
    """The terms of one token: the bigrams of a CJK run (a lone character as itself), or
    the word or identifier; none for a stop word or an alias (under 3 letters).

    Identifiers (with `_` or `.`) are kept as they are; words are stemmed.
    """
    if token[0] >= _CJK_FROM:
        return tuple(map(add, token[:-1], token[1:])) if len(token) > 1 else (token,)
    head, dot, rest = token.partition(".")
    if dot and len(head) <= 2:  # `i.user_id`: a table alias
        token = rest
    if len(token) < 3 or token in STOP_WORDS:
        return ()
    return (token if "_" in token or "." in token else _stem(token),)


def _stem(word: str) -> str:
    """A crude English stemmer: enough for `visits`, `visited`, `visiting` to meet."""
    if len(word) <= 4:
        return word
    if word.endswith("ies"):
        word = word[:-3] + "y"
    elif word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    for suffix in ("ing", "ed", "e"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, dict) else {}
