"""In-place YAML edits: the lifecycle commands and lint fixes change only what they must.

Text-level API (each takes a file's text and returns the new text, checked
by reading it back; see `ops`):

- `set_value(text, path, value, before=())`: set a scalar, merge a mapping,
  or add a missing key (before the first of `before` present, else last);
- `insert_item(text, path, item, first=False)`: add a list item written
  like its neighbour;
- `get_value(text, path)`: the value the project's loader reads there;
- `EditError`: a file that cannot be edited safely (exit 3).

Tag-level (`tagtext`): `deprecate_text`, `retire_text`, `bump_minor`,
`add_changelog`; `reorder.reorder` moves top-level entries into a key
order; `fixes.apply_fix` carries out a lint rule's declarative fix.
Catalog-level: `plan.Catalog`, `plan.plan_deprecations`,
`retire.plan_retirements`. The commit pipeline of every edit, lifecycle or
fix: `apply.validate` (re-lint through an injected checker), `apply.write`,
`apply.unified_diff`. `review.read_review` reads the cleanup review sheet.
"""

from tagctl.edit.nodes import EditError, KeyPath
from tagctl.edit.ops import get_value, insert_item, set_value

__all__ = ["EditError", "KeyPath", "get_value", "insert_item", "set_value"]
