"""Text from a catalog, made safe for the places tagctl prints it.

A tag file comes from whoever can open a pull request, and its text reaches
terminals, CI logs and spreadsheets. Three things in it could make output
lie or act:

- control characters: an escape sequence can erase or hide a line of a CI
  log, a carriage return can print "No problems" over an error, and
  bidirectional overrides can show text in another order than it has;
- rich markup: `[link=...]` or a stray `[/bold]` in a display name would
  be read as styling (or crash the table) where rich renders a cell;
- spreadsheet formulas: a CSV cell starting with `=` runs when opened.

`printable` shows the first kind as visible escapes (`\\x1b`, `\\u202e`),
`cell` turns text into a rich cell that is never read as markup, and
`spreadsheet_cell` neutralises formulas in CSV output.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.text import Text

# C0 and C1 controls, DEL, line and paragraph separators, and the bidirectional
# controls (marks, embeddings, overrides, isolates).
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)
_UNSAFE_LINE = re.compile(_UNSAFE.pattern[:-1] + "\n\t]")
_NAMED = {"\r": "\\r", "\n": "\\n", "\t": "\\t"}

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str, *, lines: bool = False) -> str:
    """`text` with every control character shown as an escape.

    One-line output (a message, a path) escapes newlines and tabs too; with
    `lines`, text meant to span lines keeps them.
    """
    if text.isprintable():  # every character the patterns match is unprintable
        return text
    pattern = _UNSAFE if lines else _UNSAFE_LINE
    if pattern.search(text) is None:
        return text
    return pattern.sub(_escape, text)


def cell(text: str) -> Text:
    """A rich table cell holding `text` literally: no markup, no controls."""
    # lazy: rich only for output to a terminal
    from rich.text import Text

    return Text(printable(text))


def spreadsheet_cell(text: str) -> str:
    """A CSV text cell that a spreadsheet shows as text, never runs as a formula.

    A leading `'` is the spreadsheet convention for "this is text"; numbers
    are written by the callers as numbers and do not pass through here.
    """
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text
