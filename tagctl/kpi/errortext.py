"""A driver's error as one short line: its first line and, when there is one, its cause.

Drivers say a lot: PyHive returns a Java stack trace of 25 KB on one line,
JDBC-style drivers a trace of many `Caused by:` lines. `summary` keeps what
a user acts on, the headline and the innermost cause, within `LIMIT`
characters and scrubbed of secrets; `full_text` is the whole text (for
`tagctl --verbose`), scrubbed too.
"""

from __future__ import annotations

import re

from tagctl.kpi.masking import scrub

LIMIT = 300
_CAUSE_LIMIT = 140
# Records of a trace: lines, escaped newlines, and the items of a repr'd list of frames.
_RECORDS = re.compile(r"\n|\\n|', '|\", \"|\['|\"\]|'\]")
_EXCEPTION = re.compile(
    r"(?:Caused by:?\s*)?\*?((?:[A-Za-z_$][\w$]*\.)+[\w$]*(?:Exception|Error)\b.*)"
)
_DEPTH = re.compile(r"(?::\d+){2}$")  # HiveServer2's ":depth:frames" after a message
_MESSAGE_FIELD = re.compile(r"\b(?:errorMessage|message)=(?P<quote>[\"'])(?P<text>.+?)(?P=quote)")


def summary(error: BaseException, limit: int = LIMIT) -> str:
    """The headline of `error` and its innermost cause, at most `limit` characters."""
    text = scrub(_driver_text(error))
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        return type(_driver_error(error)).__name__
    head = _headline(lines[0], limit)
    cause = _cause(text)
    if cause is None or cause in head or (len(lines) == 1 and len(lines[0]) <= limit):
        return _cut(head, limit)
    cause = _cut(cause, _CAUSE_LIMIT)
    suffix = f" (caused by: {cause})"
    return _cut(head, limit - len(suffix)) + suffix


def full_text(error: BaseException) -> str:
    """Every line of `error` and of the errors it was raised from, scrubbed."""
    texts: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        texts.append(f"{type(current).__name__}: {current}".rstrip())
        current = current.__cause__ or current.__context__
    return scrub("\n".join(texts))


def _driver_error(error: BaseException) -> BaseException:
    """The driver's own exception inside SQLAlchemy's wrapper, if any."""
    original = getattr(error, "orig", None)
    return original if isinstance(original, BaseException) else error


def _driver_text(error: BaseException) -> str:
    return str(_driver_error(error)).strip()


def _headline(line: str, limit: int) -> str:
    """The first line; for a long repr, its error message field when it has one."""
    if len(line) <= limit:
        return line
    field = _MESSAGE_FIELD.search(line)
    return field["text"] if field else line


def _cause(text: str) -> str | None:
    """The innermost exception named in a trace: the last `Caused by:` or exception record."""
    causes = [
        _DEPTH.sub("", found.group(1)).strip()
        for record in _RECORDS.split(text)
        if (found := _EXCEPTION.match(record.strip().lstrip("*")))
    ]
    return causes[-1] if causes else None


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: max(limit - 3, 0)].rstrip() + "..."
