"""Finding tags by name and the reverse of `depends_on`."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence

from tagctl.catalog.tags import Tag
from tagctl.errors import UsageError


def find_tag(tags: Sequence[Tag], name: str) -> Tag:
    """The tag called `name`; an unknown name is a usage error with a suggestion."""
    for tag in tags:
        if tag.name == name:
            return tag
    close = difflib.get_close_matches(name, [tag.name for tag in tags], n=1)
    hint = f"did you mean {close[0]}?" if close else "tagctl list shows the catalog's tags"
    raise UsageError(f"unknown tag: {name}", hint=hint)


def dependents(tags: Iterable[Tag]) -> Mapping[str, tuple[str, ...]]:
    """Tag name -> the names of the tags whose `depends_on` lists it, sorted."""
    found: dict[str, set[str]] = {}
    for tag in tags:
        for upstream in tag.depends_on:
            found.setdefault(upstream, set()).add(tag.name)
    return {name: tuple(sorted(names)) for name, names in found.items()}


def suggest(word: str, choices: Iterable[str], what: str) -> UsageError:
    """A usage error for an unknown `what`, naming the closest choice or all of them."""
    known = sorted(choices)
    close = difflib.get_close_matches(word, known, n=1)
    hint = f"did you mean {close[0]}?" if close else f"known: {', '.join(known)}"
    return UsageError(f"unknown {what}: {word}", hint=hint)
