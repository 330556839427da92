"""`tagctl.yaml`: finding it, validating it, and the typed settings it gives.

Precedence, lowest first: the packaged `defaults.yaml`, the `tagctl.yaml`
found by walking up from the starting directory, a `--config` file, then
command-line flags (applied by the commands). Mappings merge key by key;
lists and scalars replace.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from tagctl.catalog.source import JsonPath, Source, read_source
from tagctl.errors import ConfigError
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

    def error(self, path: JsonPath, message: str, at_key: bool = True) -> ConfigError:
        """A ConfigError pointing at `path` inside tagctl.yaml."""
        from tagctl.catalog.positions import locate_all

        line, column = (1, 1)
        if self.file is not None:
            text = self.file.read_text(encoding="utf-8-sig", errors="replace")
            line, column = locate_all(text, [(path, at_key)])[(path, at_key)]
        dotted = ".".join(str(step) for step in path)
        return ConfigError(f"{dotted}: {message}", path=self.file, line=line, column=column)


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

    The merged result is cached under `.tagctl/cache/`, keyed by the bytes of
    every input and the schema, so an unchanged configuration costs neither
    a YAML parse nor a schema validation.
    """
    key = _config_key(file, extra)
    cache = state_dir(file.parent) / "cache" / "config.json"
    stored = read_state_json(cache) if key else None
    if isinstance(stored, dict) and stored.get("key") == key:
        return _build(file, stored["data"])
    merged = _read_mapping(DEFAULTS)
    merged = merge(merged, _load_user_file(file).data)
    if extra is not None:
        merged = merge(merged, _load_user_file(extra, partial=True).data)
    config = _build(file, merged)
    _check_patterns(config)
    if key:
        write_state_json(cache, {"key": key, "data": merged})
    return config


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


PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")


def vocabulary_of(vocabularies: Mapping[str, object], placeholder: str) -> str | None:
    """The vocabulary a `{placeholder}` names: itself or its plural (s, es)."""
    for candidate in (placeholder, placeholder + "s", placeholder + "es"):
        if candidate in vocabularies:
            return candidate
    return None


def _check_patterns(config: Config) -> None:
    """Every naming pattern compiles and names only declared vocabularies."""
    for kind, patterns in config.naming.patterns.items():
        where = ("naming", "patterns", kind)
        for pattern in patterns:
            for placeholder in PLACEHOLDER.findall(pattern):
                if vocabulary_of(config.naming.vocabularies, placeholder) is None:
                    raise config.error(
                        where,
                        f"{{{placeholder}}} names no vocabulary in naming.vocabularies",
                        False,
                    )
            try:
                re.compile(PLACEHOLDER.sub("x", pattern))
            except re.error as exc:
                raise config.error(where, f"not a regular expression: {exc}", False) from exc


def _config_key(file: Path, extra: Path | None) -> str:
    from tagctl import __version__
    from tagctl.schemas import schema_dir

    digest = hashlib.sha256(__version__.encode())
    try:
        for path in (DEFAULTS, schema_dir() / "config.schema.json", file, extra):
            digest.update(path.read_bytes() if path is not None else b"-")
    except OSError:
        return ""  # let the real load report the problem
    return digest.hexdigest()


def _load_user_file(path: Path, partial: bool = False) -> Source:
    source = read_source(path)
    problem = (
        source.unreadable
        or source.not_utf8
        or source.syntax_error
        or source.not_mapping
        or source.too_complex
    )
    if problem is not None:
        raise ConfigError(problem.message, path=path, line=problem.line, column=problem.column)
    if source.duplicates:
        dup = source.duplicates[0]
        raise ConfigError(f"duplicate key '{dup.key}'", path=path, line=dup.line, column=dup.column)
    _validate(path, source, partial)
    return source


def _validate(path: Path, source: Source, partial: bool = False) -> None:
    """Check against the config schema; a `--config` overlay may leave out required keys."""
    from tagctl.catalog.positions import locate_all
    from tagctl.schemas import Checker

    errors = Checker("config").errors(source.data)
    if partial:
        errors = [e for e in errors if not (e.keyword == "required" and not e.path)]
    if not errors:
        return
    first = errors[0]
    request = (first.path, first.at_key)
    line, column = locate_all(source.text, [request])[request]
    raise ConfigError(first.message, path=path, line=line, column=column)


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
