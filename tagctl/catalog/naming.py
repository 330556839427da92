"""Name patterns of tagctl.yaml, compiled: shape, vocabulary and window token.

A pattern is a regular expression in which `{action}` stands for the
vocabulary `actions` (or `action`; `{model_suffix}` finds `model_suffixes`).
Each placeholder is tried first as a generic word, then, slot by slot, as its
vocabulary: this tells "wrong shape" (TG202) from "word not in the
vocabulary" (TG203), and says which word.

The matcher reads the `naming` section of the configuration and nothing else
of it; `config` checks every pattern with it when tagctl.yaml is loaded.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

from tagctl.catalog.namepatterns import NEVER, Match, Pattern

PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")


def vocabulary_of(vocabularies: Mapping[str, object], placeholder: str) -> str | None:
    """The vocabulary a `{placeholder}` names: itself or its plural (s, es)."""
    for candidate in (placeholder, placeholder + "s", placeholder + "es"):
        if candidate in vocabularies:
            return candidate
    return None


class NamingRules(Protocol):
    """What the matcher reads of the `naming` section (`config.Naming`)."""

    @property
    def vocabularies(self) -> Mapping[str, tuple[str, ...]]: ...

    @property
    def patterns(self) -> Mapping[str, tuple[str, ...]]: ...


@dataclass(frozen=True)
class NameMatch:
    """How a name fares against its type's patterns."""

    ok: bool
    shape_ok: bool
    pattern: str = ""
    bad_word: str = ""
    vocabulary: str = ""
    window: str | None = None


@dataclass(frozen=True)
class _Slot:
    placeholder: str
    group: str
    vocabulary: str | None
    words: tuple[str, ...]

    def body(self, narrowed: bool) -> str:
        if narrowed and self.vocabulary is not None:
            longest_first = sorted(self.words, key=len, reverse=True)
            return "|".join(re.escape(word) for word in longest_first) or NEVER
        longest = max((word.count("_") for word in self.words), default=0)
        if longest:  # as many words as the longest vocabulary entry, no more
            return rf"[a-z0-9]+(?:_[a-z0-9]+){{0,{longest}}}?"
        return r"[a-z0-9]+"


class NameMatcher:
    def __init__(self, naming: NamingRules) -> None:
        self.naming = naming
        self._regex = lru_cache(maxsize=None)(self._build)
        self._slots = lru_cache(maxsize=None)(self._find_slots)
        self._verdicts: dict[tuple[str, str], NameMatch | None] = {}

    def vocabulary_of(self, placeholder: str) -> str | None:
        return vocabulary_of(self.naming.vocabularies, placeholder)

    def _find_slots(self, pattern: str) -> list[_Slot]:
        slots = []
        for index, found in enumerate(PLACEHOLDER.finditer(pattern)):
            vocabulary = self.vocabulary_of(found.group(1))
            words = self.naming.vocabularies.get(vocabulary or "", ())
            slots.append(_Slot(found.group(1), f"{found.group(1)}_{index}", vocabulary, words))
        return slots

    def _build(self, pattern: str, narrowed: int) -> Pattern:
        """`pattern` with its first `narrowed` placeholders bound to their vocabulary."""
        slots = iter(enumerate(self._slots(pattern)))

        def fill(_: re.Match[str]) -> str:
            index, slot = next(slots)
            return f"(?P<{slot.group}>{slot.body(index < narrowed)})"

        return Pattern(PLACEHOLDER.sub(fill, pattern))

    def compile_all(self, pattern: str) -> None:
        """Compile every form of `pattern` that matching may use; PatternError if one fails."""
        for narrowed in range(len(self._slots(pattern)) + 1):
            self._regex(pattern, narrowed)

    def match(self, kind: str, name: str) -> NameMatch | None:
        """None when tagctl.yaml declares no pattern for `kind`."""
        key = (kind, name)
        if key not in self._verdicts:
            self._verdicts[key] = self._match(kind, name)
        return self._verdicts[key]

    def _match(self, kind: str, name: str) -> NameMatch | None:
        patterns = self.naming.patterns.get(kind)
        if not patterns:
            return None
        vocabulary_miss: NameMatch | None = None
        for pattern in patterns:
            found = self._regex(pattern, 0).fullmatch(name)
            if found is None:
                continue
            verdict = self._judge(pattern, name, found)
            if verdict.ok:
                return verdict
            vocabulary_miss = vocabulary_miss or verdict
        return vocabulary_miss or NameMatch(ok=False, shape_ok=False, pattern=" | ".join(patterns))

    def _judge(self, pattern: str, name: str, found: Match | None) -> NameMatch:
        slots = self._slots(pattern)
        for index, slot in enumerate(slots):
            narrowed = self._regex(pattern, index + 1).fullmatch(name)
            if narrowed is None and found is not None:
                return NameMatch(
                    ok=False,
                    shape_ok=True,
                    pattern=pattern,
                    bad_word=found.group(slot.group) or "",
                    vocabulary=slot.vocabulary or "",
                )
            found = narrowed
        assert found is not None
        windows = [found.group(s.group) for s in slots if s.placeholder == "window"]
        return NameMatch(ok=True, shape_ok=True, pattern=pattern, window=next(iter(windows), None))
