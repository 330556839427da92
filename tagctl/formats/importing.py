"""What `tagctl import` did (or, with --dry-run, would do), as text or as JSON."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from tagctl.explore.importer import ImportPlan, NewCategory

FORMATS = ["text", "json"]
BASELINE_HINT = (
    "next: tagctl lint, then tagctl lint --write-baseline to accept today's problems "
    "and fail only on new ones"
)


def render_import(plan: ImportPlan, fmt: str, stream: TextIO, shown: Callable[[Path], str]) -> None:
    if fmt == "json":
        json.dump(import_document(plan, shown), stream, ensure_ascii=False, indent=2)
        stream.write("\n")
        return
    stream.writelines(f"{line}\n" for line in import_lines(plan, shown))


def import_document(plan: ImportPlan, shown: Callable[[Path], str]) -> dict[str, Any]:
    return {
        "source": str(plan.source),
        "written": plan.written,
        "refused": plan.refused,
        "columns": plan.columns.fields,
        "unmapped_columns": list(plan.columns.unmapped),
        "files": [
            {
                "row": d.where,
                "name": d.name,
                "original": d.original,
                "path": shown(d.path),
                "notes": list(d.notes),
            }
            for d in plan.drafts
        ],
        "unchanged": plan.unchanged,
        "problems": [{"row": p.where, "message": p.message} for p in plan.problems],
        "missing_categories": [_category(c) for c in plan.categories],
        "added_categories": [_category(c) for c in plan.added],
        "summary": _counts(plan),
    }


def _category(category: NewCategory) -> dict[str, Any]:
    return {
        "key": category.key,
        "zh": category.zh,
        "en": category.en,
        "rows": list(category.rows),
        "line": category.line(),
    }


def _counts(plan: ImportPlan) -> dict[str, int]:
    return {
        "new": len(plan.drafts),
        "unchanged": len(plan.unchanged),
        "renamed": len(plan.renamed),
        "problems": len(plan.problems),
    }


def import_lines(plan: ImportPlan, shown: Callable[[Path], str]) -> list[str]:
    mapped = ", ".join(f"{column} -> {field}" for column, field in plan.columns.fields.items())
    lines = [f"columns: {mapped}"] if mapped and not plan.columns.exported else []
    if plan.columns.unmapped:
        lines.append(
            f"unmapped columns (not imported): {', '.join(plan.columns.unmapped)}"
            " (--map COLUMN=FIELD imports one)"
        )
    verb = "wrote" if plan.written else "would write"
    for draft in plan.drafts:
        lines.append(f"{verb} {shown(draft.path)}")
        if draft.original != draft.name:
            lines.append(f"  {draft.where}: renamed from '{draft.original}'")
        lines += [f"  {draft.where}: {note}" for note in draft.notes]
    lines += [f"problem: {problem.where}: {problem.message}" for problem in plan.problems]
    lines += _category_lines(plan)
    added = "added" if plan.written else "would add"
    lines += [f"{added} category {c.key} to tagctl.yaml" for c in plan.added]
    counts = _counts(plan)
    new = "written" if plan.written else "to write"
    lines.append(
        f"{counts['new']} {new}, {counts['unchanged']} unchanged (skipped), "
        f"{counts['renamed']} renamed, {counts['problems']} problems"
    )
    if plan.refused:
        lines.append(f"nothing written: --strict, and {len(plan.problems)} rows have problems")
    elif plan.written and plan.drafts:
        lines.append(BASELINE_HINT)
    return lines


def _category_lines(plan: ImportPlan) -> list[str]:
    if not plan.categories:
        return []
    lines = [
        "categories tagctl.yaml lacks; add under `categories:` (--add-categories adds the"
        " ones whose text is a key):"
    ]
    for category in plan.categories:
        rows = ", ".join(category.rows[:3]) + (" ..." if len(category.rows) > 3 else "")
        chosen = "" if category.addable else "   # choose a key"
        lines.append(f"{category.line()}{chosen}   # {rows}")
    return lines
