"""Generated sections of the documentation: the text between a start and an end marker.

`make docs` rewrites each section from the code (the rule reference in
docs/rules.md, the template table in docs/init.md, the configuration
reference in docs/configuration.md); the tests compare each page with what
it would write.
"""

from __future__ import annotations

import sys
from pathlib import Path


def replace_section(text: str, start: str, end: str, body: str) -> str:
    """`text` with what lies between the markers `start` and `end` replaced by `body`."""
    head, _, rest = text.partition(start)
    _, _, tail = rest.partition(end)
    return f"{head}{start}\n{body}{end}{tail}"


def rewrite(argv: list[str], page: str, start: str, end: str, body: str, what: str) -> int:
    """The `main` of a generator: rewrite the section in the file `argv[0]`, else in `page`."""
    path = Path(argv[0] if argv else page)
    text = path.read_text(encoding="utf-8")
    if start not in text or end not in text:
        sys.stderr.write(f"{path}: the {what} markers are missing\n")
        return 2
    path.write_text(replace_section(text, start, end, body), encoding="utf-8")
    return 0
