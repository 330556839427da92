"""Regular expressions from tagctl.yaml, matched in linear time by RE2.

A naming pattern is configuration that a pull request can change, and
Python's backtracking engine takes exponential time on patterns such as
`^(a+)+$`. Patterns are therefore compiled by RE2 (google-re2), whose
matching time grows linearly with the name whatever the pattern. RE2 reads
Python's syntax except what only backtracking can do; such a pattern is a
configuration error when tagctl.yaml loads:

- backreferences (`\\1`, `(?P=name)`) and lookaround (`(?=`, `(?!`, `(?<=`,
  `(?<!`), atomic groups `(?>`, possessive quantifiers `a++`, conditionals;
- `\\Z` (write `$`, or `\\z`), verbose mode `(?x)`, counts above `{1000}`.

`\\d`, `\\w`, `\\s` and `\\b` match ASCII characters only; tag names are
ASCII (TG201).
"""

from __future__ import annotations

from typing import Any

from re2 import Options, _re2

_BOTH = _re2.RE2.Anchor.ANCHOR_BOTH
NEVER = r"[^\s\S]"  # matches nothing (RE2 has no `(?!)`)


class PatternError(ValueError):
    """A pattern RE2 cannot compile; the message says why."""


class Match:
    """A successful full match: the text of each named group."""

    __slots__ = ("_data", "_groups", "_spans")

    def __init__(self, data: bytes, spans: list[tuple[int, int]], groups: dict[str, int]) -> None:
        self._data = data
        self._spans = spans
        self._groups = groups

    def group(self, name: str) -> str | None:
        """The text group `name` matched, or None when it took no part in the match."""
        start, end = self._spans[self._groups[name]]
        return None if start < 0 else self._data[start:end].decode("utf-8", "surrogatepass")


class Pattern:
    """One compiled pattern; `fullmatch` is the only operation tagctl needs.

    It drives RE2's own binding (`re2._re2`, which the `re2` module wraps)
    directly: the `re2` module's match objects cost several times the match.
    """

    __slots__ = ("_groups", "_regexp", "pattern")

    def __init__(self, pattern: str) -> None:
        options = Options()
        options.log_errors = False  # errors are reported, not printed by RE2 itself
        self.pattern = pattern
        self._regexp: Any = _re2.RE2(pattern.encode("utf-8"), options)
        if not self._regexp.ok():
            raise PatternError(_text(self._regexp.error()))
        self._groups = {
            name.decode("utf-8"): index for name, index in self._regexp.NamedCapturingGroups()
        }

    def fullmatch(self, text: str) -> Match | None:
        """The match of the whole of `text`, or None."""
        data = text.encode("utf-8", "surrogatepass")
        spans = self._regexp.Match(_BOTH, data, 0, len(data))
        if spans[0][0] < 0:
            return None
        return Match(data, spans, self._groups)


def _text(message: Any) -> str:
    return message.decode("utf-8", errors="replace") if isinstance(message, bytes) else str(message)
