"""Inline suppressions: `# tagctl: disable=TG201,TG504` in a tag file.

On a line, the comment silences those rules for that line; a comment
alone on its line also covers the next line. Before the first field of the
file it silences them for the whole file. `# tagctl: disable` without codes
silences every rule.
"""

from __future__ import annotations

import re

_COMMENT = re.compile(r"#\s*tagctl:\s*disable(?:=([A-Za-z0-9_, ]+))?")
WHOLE_FILE = 0
ALL = "*"

Suppressions = list[tuple[int, str]]  # (line, code); line 0 is the whole file


def find_suppressions(text: str) -> Suppressions:
    if "tagctl:" not in text:
        return []
    found: Suppressions = []
    in_header = True
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        alone = stripped.startswith("#")
        if stripped and not alone and stripped != "---":
            in_header = False
        match = _COMMENT.search(line)
        if match is None:
            continue
        codes = [c.strip().upper() for c in (match.group(1) or "").split(",") if c.strip()]
        lines = [WHOLE_FILE] if in_header else ([number, number + 1] if alone else [number])
        found.extend((at, code) for at in lines for code in (codes or [ALL]))
    return found


def is_suppressed(suppressions: Suppressions, line: int, code: str) -> bool:
    return any(at in (WHOLE_FILE, line) and which in (code, ALL) for at, which in suppressions)
