"""Reading a YAML file's text fast: yaml-rs where it reads as we do, else libyaml.

yaml-rs (Rust) parses a typical tag file several times faster than libyaml
through PyYAML, and needs no PyYAML at all: a lint of clean files never
imports it. Any text it might read differently from the YAML 1.2 core schema
of `libyaml`, any error, anything but a single mapping goes to `libyaml`,
which is the reference and the one that locates problems. Imported only
when a file has to be parsed (by `reader`), so a lint run served from the
cache loads neither.
"""

from __future__ import annotations

import re
from typing import Any

try:
    import yaml_rs as _yaml_rs
except ImportError:  # pragma: no cover - a declared dependency; the reference path suffices
    _yaml_rs = None  # type: ignore[assignment]

from tagctl.catalog.source import MAX_NODES, Mark, Source
from tagctl.catalog.yamlnumbers import numbers_as_written


def parse(source: Source) -> None:
    """Decode `source.raw` and parse it, recording every problem on `source`."""
    raw = source.raw
    if raw.startswith(b"\xef\xbb\xbf"):
        source.bom = True
        raw = raw[3:]
    try:
        source.text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        # lazy: PyYAML only for a text yaml-rs does not read, or a file with a problem
        from tagctl.catalog.libyaml import offset_position

        line, column = offset_position(raw, exc.start)
        source.not_utf8 = Mark(f"byte 0x{raw[exc.start]:02x} is not valid UTF-8", line, column)
        return
    if not _fast(source):
        # lazy: PyYAML only for a text yaml-rs does not read, or a file with a problem
        from tagctl.catalog.libyaml import parse_text

        parse_text(source)


# Texts the fast parser might read differently from the YAML 1.2 core schema
# above: explicit tags, complex keys, control characters, deep documents.
_TAG = re.compile(r"(?:^|[\s\[{,:])!", re.MULTILINE)
_COMPLEX_KEY = re.compile(r"^[ \t-]*\?(?:[ \t]|$)", re.MULTILINE)
# What libyaml rejects: YAML's printable set is tab, LF, CR, U+0020-U+007E,
# U+0085, U+00A0-U+D7FF, U+E000-U+FFFD and the astral planes.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
_ALIAS_LIMITS = None


def _fast(source: Source) -> bool:
    """Parse with yaml-rs when the text is plainly within what it reads as we do.

    An accelerator only: any text it might read differently, any error,
    anything but a single mapping goes to the libyaml path.
    """
    text = source.text
    if (
        _yaml_rs is None
        or len(text) > 65536
        or ("!" in text and _TAG.search(text))
        or ("?" in text and _COMPLEX_KEY.search(text))
        or _CONTROL.search(text)
    ):
        return False
    try:
        data = _yaml_rs.loads(
            text,
            parse_datetime=False,
            duplicate_key_policy=_yaml_rs.DuplicateKeyPolicy.Error,
            alias_limits=_alias_limits(),
        )
    except Exception:  # every failure is diagnosed by the reference path
        return False
    if not isinstance(data, dict) or not numbers_as_written(data, text):
        return False
    source.data = data
    return True


def _alias_limits() -> Any:
    global _ALIAS_LIMITS
    if _ALIAS_LIMITS is None:
        _ALIAS_LIMITS = _yaml_rs.AliasLimits(max_total_replayed_events=MAX_NODES)
    return _ALIAS_LIMITS
