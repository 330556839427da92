"""`tagctl.yaml`: finding it, validating it, and the typed settings it gives.

Precedence, lowest first: the packaged `defaults.yaml`, the `tagctl.yaml`
found by walking up from the starting directory, a `--config` file, then
command-line flags (applied by the commands). Mappings merge key by key;
lists and scalars replace.

Checked on every load, cached or not: `catalog.tags_dir` is a folder inside
the catalog (no absolute path, no `..`, no symbolic link out of it), and
neither tagctl.yaml nor a `--config` in the repository is a symbolic link out
of the catalog and the current folder, so that a pull request cannot make
tagctl read a file of the machine that checks it. The cache key includes the
files' identity on disk (inode, size, modification time), so a cache
committed to the repository can never stand in for these checks.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from tagctl import __version__
from tagctl.catalog.discovery import confinement, link_leaves
from tagctl.catalog.notifyconfig import Channel, notify_problem, read_channels
from tagctl.catalog.positions import locate_all
from tagctl.catalog.reader import read_source
from tagctl.catalog.schema import Checker, schema_dir
from tagctl.catalog.source import JsonPath, Source, dotted
from tagctl.errors import ConfigError, UsageError
from tagctl.fsutil import read_state_json, state_dir, write_state_json

CONFIG_NAME = "tagctl.yaml"
DEFAULTS = Path(__file__).parent.parent / "defaults.yaml"


@dataclass(frozen=True)
class Category:
    key: str
    zh: str
    en: str
    description: str = ""


@dataclass(frozen=True)
class Naming:
    max_length: int
    vocabularies: Mapping[str, tuple[str, ...]]
    patterns: Mapping[str, tuple[str, ...]]


@dataclass(frozen=True)
class RuleConfig:
    """What tagctl.yaml says of one rule; options are checked by the lint engine."""

    severity: str | None = None
    options: Mapping[str, Any] = field(default_factory=dict)
    ignore: tuple[str, ...] = ()


@dataclass(frozen=True)
class LintConfig:
    ignore: tuple[str, ...]
    cache: bool
    jobs: int
    rules: Mapping[str, RuleConfig]


@dataclass(frozen=True)
class Config:
    """The merged, validated configuration of one catalog."""

    root: Path
    file: Path | None
    tags_dir: Path
    name: str
    categories: Mapping[str, Category]
    naming: Naming
    lint: LintConfig
    sections: Mapping[str, Any]
    fingerprint: str
    notify: Mapping[str, Channel] = field(default_factory=dict)  # the chats of `--notify`

    def error(self, path: JsonPath, message: str, at_key: bool = True) -> ConfigError:
        """A ConfigError pointing at `path` inside tagctl.yaml."""
        line, column = self.position(path, at_key)
        dotted = ".".join(str(step) for step in path)
        return ConfigError(f"{dotted}: {message}", path=self.file, line=line, column=column)

    def position(self, path: JsonPath, at_key: bool = True) -> tuple[int, int]:
        """Line and column of `path` in tagctl.yaml; 1:1 when it is not written there."""
        if self.file is None:
            return (1, 1)
        text = self.file.read_text(encoding="utf-8-sig", errors="replace")
        return locate_all(text, [(path, at_key)])[(path, at_key)]


def find_config(start: Path) -> Path | None:
    """The nearest tagctl.yaml at or above `start`."""
    start = start.absolute()
    directory = start if start.is_dir() else start.parent
    for candidate in (directory, *directory.parents):
        path = candidate / CONFIG_NAME
        if path.is_file():
            return path
    return None


def load_config(file: Path, extra: Path | None = None) -> Config:
    """Read, validate and merge `file` (and the `extra` override file).

    The merged result is cached under `.tagctl/cache/`, keyed by the bytes and
    identity of every input and the schema, so an unchanged configuration
    costs neither a YAML parse nor a schema validation.
    """
    refuse_outside_link(file, file.parent, CONFIG_NAME, ConfigError)
    if extra is not None:
        refuse_outside_link(extra, file.parent, "--config", UsageError)
    key = _config_key(file, extra)
    cache = _cache_file(file.parent)
    stored = read_state_json(cache) if key and cache else None
    if isinstance(stored, dict) and stored.get("key") == key:
        merged = stored["data"]
        config = _build(file, merged)
    else:
        merged = _read_mapping(DEFAULTS)
        merged = merge(merged, _load_user_file(file).data)
        if extra is not None:
            merged = merge(merged, _load_user_file(extra, partial=True).data)
        config = _build(file, merged)
        _check_patterns(config, merged)
        if key and cache:
            write_state_json(cache, {"key": key, "data": merged})
    _check_tags_dir(config, str(merged.get("catalog", {}).get("tags_dir", "tags")))
    return config


def _cache_file(root: Path) -> Path | None:
    """Where the merged configuration is cached; None when a link leads it out of the catalog."""
    cache = state_dir(root) / "cache" / "config.json"
    return None if link_leaves(cache, root) else cache


def refuse_outside_link(
    path: Path, root: Path, what: str, error: type[ConfigError | UsageError] = UsageError
) -> None:
    """Refuse (exit 2) a file of the repository whose symbolic links lead out of it.

    A path in the catalog `root` or below the current folder (the checkout,
    in CI) must stay in one of them once its links are followed; its content
    is never read, so the message cannot show any of it. A path elsewhere is
    the caller's explicit choice.
    """
    if confinement(path, root) is not None and link_leaves(path, root, os.getcwd()):
        raise error(
            f"{what} is a symbolic link to a file outside the catalog; it is not read",
            path=path,
            hint="use the file itself, or a link within the catalog",
        )


def load_catalog_config(
    catalog: Path | None, extra: Path | None = None, paths: Sequence[Path] = ()
) -> Config:
    """tagctl.yaml from --catalog, else above the first path, else above the cwd."""
    if catalog is not None:
        file = catalog / CONFIG_NAME if catalog.is_dir() else catalog
        if not file.is_file():
            raise ConfigError(
                f"no {CONFIG_NAME} in {catalog}", hint="--catalog names the folder of tagctl.yaml"
            )
        return load_config(file, extra)
    starts = [*(p for p in paths[:1]), Path.cwd()]
    for start in starts:
        found = find_config(start)
        if found is not None:
            return load_config(found, extra)
    fallback = Path.cwd() / "tag-catalog" / CONFIG_NAME
    if fallback.is_file():
        return load_config(fallback, extra)
    raise ConfigError(
        f"no {CONFIG_NAME} found in {Path.cwd()} or above",
        hint="pass --catalog DIR, the folder that holds tagctl.yaml",
    )


def _check_patterns(config: Config, data: Mapping[str, Any]) -> None:
    """Every naming pattern compiles in RE2 and names only declared vocabularies."""
    # lazy: a warm config cache skips _check_patterns, so a cached load never loads re2
    from tagctl.catalog.namepatterns import PatternError
    from tagctl.catalog.naming import PLACEHOLDER, NameMatcher, vocabulary_of  # lazy: re2 too

    matcher = NameMatcher(config.naming)
    written = data.get("naming", {}).get("patterns", {})
    for kind, patterns in config.naming.patterns.items():
        listed = isinstance(written.get(kind), list)
        for index, pattern in enumerate(patterns):
            where: JsonPath = ("naming", "patterns", kind, *((index,) if listed else ()))
            for placeholder in PLACEHOLDER.findall(pattern):
                if vocabulary_of(config.naming.vocabularies, placeholder) is None:
                    raise config.error(
                        where,
                        f"{{{placeholder}}} names no vocabulary in naming.vocabularies",
                        False,
                    )
            try:
                matcher.compile_all(pattern)
            except PatternError as exc:
                raise config.error(where, _pattern_problem(str(exc)), False) from None


def _pattern_problem(reason: str) -> str:
    """Why RE2 refused a pattern, in the words of docs/configuration.md."""
    message = f"not a regular expression tagctl can match in linear time: {reason}"
    if "perl operator" in reason or "escape sequence" in reason or "repetition" in reason:
        message += (
            " (patterns are matched by RE2: no backreferences, lookaround, atomic groups,"
            " possessive quantifiers, \\Z or (?x), and counts up to 1000)"
        )
    return message


def _check_tags_dir(config: Config, written: str) -> None:
    """`catalog.tags_dir` is an existing folder inside the catalog root."""
    where = ("catalog", "tags_dir")
    lexical = os.path.normpath(written.replace("\\", "/"))
    if "\0" in written:
        raise config.error(where, "a folder name cannot hold a NUL character", at_key=False)
    if os.path.isabs(written) or lexical == ".." or lexical.startswith("../"):
        problem = "is outside the catalog; give a folder relative to tagctl.yaml, inside it"
    elif link_leaves(config.tags_dir, config.root):
        problem = "leads outside the catalog through a symbolic link"
    elif not config.tags_dir.is_dir():
        problem = "is not a folder" if config.tags_dir.exists() else "does not exist"
    else:
        return
    raise config.error(where, f"'{written}' {problem}", at_key=False)


def _config_key(file: Path, extra: Path | None) -> str:
    """The inputs' bytes, and the files' identity on this disk.

    The identity (inode, size, modification time) cannot be known in advance,
    so a `.tagctl/cache/config.json` committed to the repository can never
    stand in for the checks of the real file.
    """
    digest = hashlib.sha256(__version__.encode())
    try:
        for path in (DEFAULTS, schema_dir() / "config.schema.json", file, extra):
            digest.update(path.read_bytes() if path is not None else b"-")
        for path in (file, extra):
            info = os.stat(path) if path is not None else None
            digest.update(repr(info and (info.st_ino, info.st_size, info.st_mtime_ns)).encode())
    except OSError:
        return ""  # let the real load report the problem
    return digest.hexdigest()


def _load_user_file(path: Path, partial: bool = False) -> Source:
    source = read_source(path)
    problem = source.problem
    if problem is not None:
        raise ConfigError(problem.message, path=path, line=problem.line, column=problem.column)
    if source.duplicates:
        dup = source.duplicates[0]
        raise ConfigError(f"duplicate key '{dup.key}'", path=path, line=dup.line, column=dup.column)
    _validate(path, source, partial)
    _check_notify(path, source)
    return source


def _validate(path: Path, source: Source, partial: bool = False) -> None:
    """Check against the config schema; a `--config` overlay may leave out required keys."""
    errors = Checker("config").errors(source.data)
    if partial:
        errors = [e for e in errors if not (e.keyword == "required" and not e.path)]
    if not errors:
        return
    first = errors[0]
    request = (first.path, first.at_key)
    line, column = locate_all(source.text, [request])[request]
    raise ConfigError(first.message, path=path, line=line, column=column)


def _check_notify(path: Path, source: Source) -> None:
    """Refuse a credential written out in `notify`, and what else its schema cannot say."""
    problem = notify_problem(source.data)
    if problem is not None:
        where, message = problem
        line, column = locate_all(source.text, [(where, False)])[(where, False)]
        raise ConfigError(f"{dotted(where)}: {message}", path=path, line=line, column=column)


def _read_mapping(path: Path) -> dict[str, Any]:
    source = read_source(path)
    if not isinstance(source.data, dict):  # the packaged defaults are ours to keep valid
        raise ConfigError("packaged defaults are damaged", path=path)
    return source.data


def merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """`override` on top of `base`: mappings merge, everything else replaces."""
    result = dict(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(result.get(key), Mapping):
            result[key] = merge(result[key], value)
        else:
            result[key] = value
    return result


def _build(file: Path, data: dict[str, Any]) -> Config:
    root = file.parent.absolute()
    catalog = data.get("catalog", {})
    fingerprint = hashlib.sha256(
        json.dumps(data, sort_keys=True, default=str).encode("utf-8")
    ).hexdigest()
    return Config(
        root=root,
        file=file,
        tags_dir=root / catalog.get("tags_dir", "tags"),
        name=catalog.get("name", root.name),
        categories=MappingProxyType(_categories(data.get("categories", {}))),
        naming=_naming(data.get("naming", {})),
        lint=_lint(data.get("lint", {})),
        sections=MappingProxyType({key: data.get(key) for key in _SECTIONS}),
        fingerprint=fingerprint,
        notify=MappingProxyType(read_channels(data.get("notify") or {})),
    )


_SECTIONS = ("kpi", "warehouse", "history", "report")


def _categories(data: Mapping[str, Any]) -> dict[str, Category]:
    return {
        key: Category(key, value["zh"], value["en"], value.get("description", ""))
        for key, value in data.items()
    }


def _naming(data: Mapping[str, Any]) -> Naming:
    patterns = {
        kind: (value,) if isinstance(value, str) else tuple(value)
        for kind, value in data.get("patterns", {}).items()
    }
    vocabularies = {key: tuple(words) for key, words in data.get("vocabularies", {}).items()}
    return Naming(
        max_length=int(data.get("max_length", 64)),
        vocabularies=MappingProxyType(vocabularies),
        patterns=MappingProxyType(patterns),
    )


def _lint(data: Mapping[str, Any]) -> LintConfig:
    rules: dict[str, RuleConfig] = {}
    for code, value in data.get("rules", {}).items():
        if isinstance(value, str):
            rules[code] = RuleConfig(severity=value)
        else:
            rules[code] = RuleConfig(
                severity=value.get("severity"),
                options=MappingProxyType(dict(value.get("options", {}))),
                ignore=tuple(value.get("ignore", ())),
            )
    return LintConfig(
        ignore=tuple(data.get("ignore", ())),
        cache=bool(data.get("cache", True)),
        jobs=int(data.get("jobs", 0)),
        rules=MappingProxyType(rules),
    )
