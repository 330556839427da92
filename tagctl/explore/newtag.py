"""`tagctl new`: a new tag file that is complete in form and honest about what is missing.

The name is checked first, with the naming rules of lint (TG201-TG204) and
the vocabularies of tagctl.yaml, so a bad name never reaches a file. The
file gets every required field: real values where tagctl can know them
(name, category, type, value type, the window in the name, `status: draft`,
version 0.1.0, a changelog entry) and `TODO` placeholders elsewhere. The
placeholders are valid for the schema, so the file passes `tagctl validate`,
and TG504 keeps `tagctl lint` failing until a person replaces them.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from tagctl.catalog.config import Config
from tagctl.catalog.naming import NameMatcher
from tagctl.catalog.reader import parse_into
from tagctl.catalog.schema import Checker
from tagctl.catalog.source import Source, dotted
from tagctl.catalog.tags import Tag
from tagctl.errors import UsageError
from tagctl.explore.listing import TYPES, VALUE_TYPES
from tagctl.explore.lookup import suggest
from tagctl.fsutil import create_file, make_folder_inside

_SNAKE = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")

# The type a name is taken for when --type is not given: the first whose pattern fits.
GUESS_ORDER = ("rule", "model", "strategy", "fact")
DEFAULT_VALUE_TYPE = {"fact": "string", "rule": "boolean", "model": "number", "strategy": "boolean"}


@dataclass(frozen=True)
class NewTag:
    name: str
    category: str
    type: str
    value_type: str
    window: str | None
    path: Path
    text: str


def new_tag(
    config: Config,
    tags: Sequence[Tag],
    name: str,
    category: str,
    kind: str | None = None,
    value_type: str | None = None,
    today: dt.date | None = None,
) -> NewTag:
    """The new tag file for `name`, checked but not written."""
    if category not in config.categories:
        raise suggest(category, config.categories, "category")
    if kind is not None and kind not in TYPES:
        raise suggest(kind, TYPES, "tag type")
    if value_type is not None and value_type not in VALUE_TYPES:
        raise suggest(value_type, VALUE_TYPES, "value type")
    check_case(config, name)
    kind = kind or _guess_type(config, name)
    window = check_name(config, name, kind)
    _check_unused(config, tags, name, category)
    value_type = value_type or DEFAULT_VALUE_TYPE[kind]
    path = config.tags_dir / category / f"{name}.yaml"
    text = render(name, category, kind, value_type, window, today or dt.date.today())
    _check_schema(path, text)
    return NewTag(name, category, kind, value_type, window, path, text)


def write(new: NewTag, root: Path) -> None:
    """Create the file; never replace one (a race with another writer included).

    The category folder must lie inside the catalog: a folder link that leads
    out of it is refused rather than written through.
    """
    make_folder_inside(new.path.parent, root)
    try:
        create_file(new.path, new.text)
    except FileExistsError as error:
        raise UsageError("already exists; tagctl new never overwrites", path=new.path) from error


def check_case(config: Config, name: str) -> None:
    if not _SNAKE.fullmatch(name):
        raise UsageError(
            f"'{name}' is not lowercase snake_case (TG201)",
            hint="use lowercase letters, digits and single underscores",
        )
    limit = config.naming.max_length
    if len(name) > limit:
        raise UsageError(f"'{name}' is {len(name)} characters, the limit is {limit} (TG201)")


def check_name(
    config: Config, name: str, kind: str, matcher: NameMatcher | None = None
) -> str | None:
    """The window token of `name` when it has one; a name that breaks TG202/TG203 fails.

    Checking many names, pass one `matcher`: it compiles each pattern once."""
    verdict = (matcher or NameMatcher(config.naming)).match(kind, name)
    if verdict is None:
        return None
    if not verdict.shape_ok:
        raise UsageError(
            f"{kind} tag name '{name}' does not match {verdict.pattern} (TG202)",
            hint="see naming.patterns in tagctl.yaml",
        )
    if not verdict.ok:
        words = config.naming.vocabularies.get(verdict.vocabulary, ())
        close = difflib.get_close_matches(verdict.bad_word, words, n=1)
        hint = (
            f"did you mean '{close[0]}'?"
            if close
            else f"add '{verdict.bad_word}' to naming.vocabularies.{verdict.vocabulary}"
        )
        raise UsageError(
            f"'{verdict.bad_word}' is not in the vocabulary '{verdict.vocabulary}' (TG203)",
            hint=hint,
        )
    return verdict.window


def fitting_type(matcher: NameMatcher, name: str) -> str | None:
    """The first specific type (not fact) whose naming pattern `name` fits."""
    for kind in GUESS_ORDER:
        verdict = matcher.match(kind, name)
        if kind != "fact" and verdict is not None and verdict.ok:
            return kind
    return None


def _guess_type(config: Config, name: str) -> str:
    """The first specific type whose pattern `name` fits, else fact.

    A name that fits a specific type's pattern but for one word close to a
    word of the vocabulary (`purchse_serum_30d`) is taken for a typo, not
    for a fact tag: that is an error, as lint would report it.
    """
    matcher = NameMatcher(config.naming)
    fitting = fitting_type(matcher, name)
    if fitting is not None:
        return fitting
    verdicts = [(kind, matcher.match(kind, name)) for kind in GUESS_ORDER]
    for kind, verdict in verdicts:
        if kind != "fact" and verdict is not None and verdict.shape_ok:
            words = config.naming.vocabularies.get(verdict.vocabulary, ())
            if difflib.get_close_matches(verdict.bad_word, words, n=1):
                check_name(config, name, kind)
    fact = matcher.match("fact", name)
    if fact is None or fact.ok:
        return "fact"
    raise UsageError(
        f"'{name}' fits the naming pattern of no tag type (TG202)",
        hint="pass --type, or see naming.patterns in tagctl.yaml",
    )


def _check_schema(path: Path, text: str) -> None:
    """The new file parses and passes the tag schema (a name over its limit would not)."""
    source = Source(path, raw=text.encode("utf-8"))
    parse_into(source)
    errors = Checker("tag").errors(source.data) if source.ok else []
    if not source.ok or errors:
        where = dotted(errors[0].path) if errors else "the file"
        why = errors[0].message if errors else "does not parse"
        raise UsageError(f"the new tag would not be valid: {where}: {why}")


def _check_unused(config: Config, tags: Sequence[Tag], name: str, category: str) -> None:
    path = config.tags_dir / category / f"{name}.yaml"
    if path.exists():
        raise UsageError("already exists; tagctl new never overwrites", path=path)
    for tag in tags:
        if tag.name == name:
            raise UsageError(f"a tag named {name} already exists", path=tag.path)


# The placeholders of what only a person can write (TG504 reports them until then).
VALUE_LABEL = {"zh": "TODO: 取值名称", "en": "TODO: value label"}


def placeholder_names(name: str) -> dict[str, str]:
    return {"zh": f"TODO: {name} 的中文名称", "en": f"TODO: English name of {name}"}


def placeholder_description(name: str) -> str:
    return f"TODO: what {name} means for the business, who uses it and for what."


def render(
    name: str, category: str, kind: str, value_type: str, window: str | None, today: dt.date
) -> str:
    """The YAML text of the new tag, in the field order of DESIGN.md section 2."""
    lines = [
        f"name: {name}",
        "version: 0.1.0",
        "display_name:",
        f"  zh: {_q(placeholder_names(name)['zh'])}",
        f"  en: {_q(placeholder_names(name)['en'])}",
        "description: >-",
        f"  {placeholder_description(name)}",
        f"type: {kind}",
        f"category: {category}",
        "status: draft",
        f"value_type: {value_type}",
        *_value_lines(value_type),
        *([f"window: {window}"] if window else []),
        "refresh: daily",
        "sensitivity: internal",
        "owners:",
        "  business: TODO  # an e-mail address or a team handle",
        "  data: TODO",
        "source:",
        "  system: TODO  # e.g. cdp",
        "  tables: [TODO]  # schema.table the tag is computed from",
        "logic: |",
        f"  TODO: the SQL or the rule that computes {name}.",
        "changelog:",
        f"  - {{version: 0.1.0, date: {today.isoformat()}, change: First draft.}}",
    ]
    return "\n".join(lines) + "\n"


def _value_lines(value_type: str) -> list[str]:
    if value_type == "enum":
        label = "{zh: " + _q(VALUE_LABEL["zh"]) + ", en: " + _q(VALUE_LABEL["en"]) + "}"
        return ["values:", f"  - {{value: TODO, label: {label}}}"]
    return []


def _q(text: str) -> str:
    """A double-quoted YAML scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)
