"""Small in-memory catalogs for the unit tests of tagctl.explore."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tagctl.catalog.config import Config, load_config
from tagctl.catalog.tags import Tag, Value, load_tags

ROOT = Path(__file__).resolve().parents[2]


def make_tag(name: str, **fields: Any) -> Tag:
    """A tag with plausible defaults; `fields` replace them."""
    values: dict[str, Any] = {
        "name": name,
        "path": Path(f"/catalog/tags/behavior/{name}.yaml"),
        "version": "1.0.0",
        "zh": f"标签{name}",
        "en": f"Tag {name}",
        "type": "rule",
        "category": "behavior",
        "status": "online",
        "value_type": "boolean",
        "refresh": "daily",
    }
    values.update(fields)
    if "values" in fields:
        values["values"] = tuple(Value(*item) for item in fields["values"])
    return Tag(**values)


def sample() -> tuple[Config, list[Tag]]:
    """The sample catalog of the repository, read in place (never written)."""
    config = load_config(ROOT / "tag-catalog" / "tagctl.yaml")
    tags, skipped = load_tags(config)
    assert not skipped
    return config, tags
