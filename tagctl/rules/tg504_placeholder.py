from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from tagctl.catalog.source import PLACEHOLDER_WORDS, JsonPath
from tagctl.rulekit import FileRule, LintContext, Problem, TagFile

_ANGLE = r"<[A-Za-z\u4e00-\u9fff][^<>\n]{0,60}>"  # compiled on first use: ~1.5 ms


class Placeholder(FileRule):
    """A field still holds placeholder text.

    Scaffolded files carry `TODO: ...` placeholders in required fields so the
    file is complete in form; this rule keeps such a file from passing
    until a person has written the real text. Also catches angle-bracket
    placeholders such as `<owner email>` outside `logic`.

    Options:
      words (list of str, default [TODO, TBD, FIXME, XXX]): markers, matched
        as whole words, case-sensitive.
    """

    code = "TG504"
    name = "placeholder"
    hint = "replace the placeholder with the real value"

    @dataclass(frozen=True)
    class Options:
        words: tuple[str, ...] = PLACEHOLDER_WORDS

    def check(self, tag: TagFile, ctx: LintContext) -> Iterator[Problem]:
        text = tag.source.text
        if "\\" not in text and "<" not in text and not any(w in text for w in self.options.words):
            return  # nothing anywhere in the file (and no escapes): no need to look field by field
        marker = _marker(self.options.words)
        angle = _compiled(_ANGLE)
        for path, text in _strings(tag.data, ()):
            found = marker.search(text) if marker else None
            if found is None and path[:1] != ("logic",):
                found = angle.search(text)
            if found is not None:
                yield Problem(f"placeholder '{found.group(0)}' left in the text", path)


@lru_cache(maxsize=1)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


@lru_cache(maxsize=8)
def _marker(words: tuple[str, ...]) -> re.Pattern[str] | None:
    alternatives = "|".join(re.escape(word) for word in words)
    return re.compile(rf"\b(?:{alternatives})\b") if alternatives else None


def _strings(value: Any, path: JsonPath) -> Iterator[tuple[JsonPath, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*path, str(key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*path, index))
