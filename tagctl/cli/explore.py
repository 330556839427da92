"""`tagctl list`, `search`, `show`, `deps`, `export` and `new`: explore and grow the catalog."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from tagctl.cli.options import (
    CatalogOption,
    ColorOption,
    OutputOption,
    check_format,
    collector_paused,
    open_output,
)
from tagctl.errors import EXIT_FINDINGS, UsageError

if TYPE_CHECKING:
    from tagctl.catalog.config import Config
    from tagctl.catalog.tags import Tag

LIST_EPILOG = """Examples:

\b
  tagctl list                                  # every tag, as a table
  tagctl list --category prediction --status online
  tagctl list --owner li.na --format csv > li_na_tags.csv
  tagctl list --type model --format json
"""

SEARCH_EPILOG = """Ranking, best first: exact name, a whole word of the name, the display
name (zh or en) or the start of a name word, the description or an enum
value's label. Chinese terms match anywhere in the text; Latin terms match
at the start of a word, case-insensitively. Every term must match.

--similar TAG ranks the other tags by how alike their definitions are to
TAG's (name words, display names, description, source tables, logic,
category; a score from 0 to 1, see docs/explore.md) and shows the top 10, or
--limit N.

\b
Examples:
  tagctl search 复购
  tagctl search repurchase
  tagctl search "skin type" --format json
  tagctl search 肤质 --format csv
  tagctl search --similar visit_store_30d --limit 5
"""

SHOW_EPILOG = """Examples:

\b
  tagctl show high_potential_repurchase
  tagctl show churn_risk_7d --format json      # the export entry plus kpis and trend
  tagctl kpi --save && tagctl show skin_type   # with the KPIs of the saved run
"""

DEPS_EPILOG = """Forward (default): what the tag is computed from, down to source tables.
--reverse: the tags that depend on it, i.e. what breaks when it changes.
A cycle is marked (↺) and not followed; a tag already expanded is marked
"shown above". In mermaid and dot, arrows point the way data flows.

\b
Examples:
  tagctl deps high_potential_repurchase
  tagctl deps churn_risk_7d --reverse --format mermaid
  tagctl deps rfm_segment --depth 1 --format dot | dot -Tsvg > rfm.svg
"""

EXPORT_EPILOG = """Formats: json (the whole dictionary, one document), csv (one row per
tag), datahub (DataHub glossary metadata change proposals, for
`datahub ingest mcps FILE` or a `file` source recipe). Field order is fixed
and documented in docs/formats.md; deprecated and retired tags are included with
their deprecation.

\b
Examples:
  tagctl export --format json -o dictionary.json
  tagctl export --format csv > dictionary.csv
  tagctl export --format datahub -o tags.datahub.json && datahub ingest mcps tags.datahub.json
"""

NEW_EPILOG = """The name is checked against the naming rules (TG201-TG204) before
anything is written. Without --type, the type is the first of rule, model,
strategy, fact whose naming pattern the name fits. The window field is
taken from the name. Required fields that only a person can fill hold TODO
placeholders: the file passes `tagctl validate`, and `tagctl lint` reports
each placeholder (TG504) until it is replaced. An existing file is never
overwritten.

Before writing, the live tags are ranked against the new one by name words
(the window apart) and category; when one scores 0.6 or more, the closest
are printed ("did you mean to reuse ...?") and nothing is written (exit 1),
unless --force. --dry-run prints them as a note.

\b
Examples:
  tagctl new purchase_mask_30d --category transaction
  tagctl new skin_tone --category profile --type fact --value-type enum
  tagctl new churn_risk_30d --category prediction --dry-run
  tagctl new visit_store_14d --category behavior --force
"""

FormatOption = typer.Option("--format", "-f", metavar="FORMAT", help="table, json or csv.")


def register(app: typer.Typer) -> None:
    app.command("list", epilog=LIST_EPILOG)(list_tags)
    app.command(epilog=SEARCH_EPILOG)(search)
    app.command(epilog=SHOW_EPILOG)(show)
    app.command(epilog=DEPS_EPILOG)(deps)
    app.command(epilog=EXPORT_EPILOG)(export)
    app.command(epilog=NEW_EPILOG)(new)


def list_tags(
    category: Annotated[
        str | None, typer.Option("--category", metavar="KEY", help="Only this category.")
    ] = None,
    status: Annotated[
        str | None, typer.Option("--status", metavar="STATUS", help="Only this status.")
    ] = None,
    owner: Annotated[
        str | None,
        typer.Option(
            "--owner", metavar="TEXT", help="Business, data or creator owner contains TEXT."
        ),
    ] = None,
    kind: Annotated[
        str | None,
        typer.Option("--type", metavar="TYPE", help="Only this type: fact, rule, model, strategy."),
    ] = None,
    fmt: Annotated[str, FormatOption] = "table",
    catalog: Annotated[Path | None, CatalogOption] = None,
    color: Annotated[bool | None, ColorOption] = None,
) -> None:
    """List the catalog's tags, filtered by category, status, owner or type.

    Exit 0, or 2 for an unknown category, status, type or format.
    """
    # lazy: a command loads only what it runs, so that start-up stays fast
    from tagctl.explore.listing import Filters, select
    from tagctl.formats.catalog import LIST_FORMATS, render_tags

    check_format(fmt, LIST_FORMATS)
    config, tags = load_catalog(catalog)
    filters = Filters(category=category, status=status, owner=owner, type=kind)
    filters.check(config.categories)
    render_tags(select(tags, filters), config.root, fmt, sys.stdout, color)


def search(
    query: Annotated[
        str | None,
        typer.Argument(metavar="[QUERY]", help="Words, Chinese or English.", show_default=False),
    ] = None,
    like: Annotated[
        str | None,
        typer.Option(
            "--similar", metavar="TAG", help="Rank the tags whose definitions are most like TAG's."
        ),
    ] = None,
    limit: Annotated[
        int | None,
        typer.Option("--limit", metavar="N", help="At most N tags (with --similar: 10)."),
    ] = None,
    fmt: Annotated[str, FormatOption] = "table",
    catalog: Annotated[Path | None, CatalogOption] = None,
    color: Annotated[bool | None, ColorOption] = None,
) -> None:
    """Search tags by name, display names (zh and en) and description, best match first;
    or, with --similar TAG, the tags most like TAG.

    Exit 0 (also when nothing matches), or 2 for an empty query, a QUERY with
    --similar, an unknown TAG, a --limit below 1 or a bad format.
    """
    # lazy: a command loads only what it runs, so that start-up stays fast
    from tagctl.explore.search import search as find
    from tagctl.formats.catalog import LIST_FORMATS, render_hits

    check_format(fmt, LIST_FORMATS)
    if like is not None:
        if query is not None:
            raise UsageError("give a QUERY or --similar TAG, not both")
        _similar(like, limit, fmt, catalog, color)
        return
    if limit is not None and limit < 1:
        raise UsageError(f"--limit must be at least 1, not {limit}")
    config, tags = load_catalog(catalog)
    hits = find(tags, query or "")
    render_hits(hits[:limit], config.root, fmt, sys.stdout, color)


def _similar(
    name: str, limit: int | None, fmt: str, catalog: Path | None, color: bool | None
) -> None:
    # lazy: a command loads only what it runs, so that start-up stays fast
    from tagctl.explore.similar import DEFAULT_LIMIT, similar
    from tagctl.formats.catalog import render_similar

    config, tags = load_catalog(catalog)
    with collector_paused():
        found = similar(tags, name, DEFAULT_LIMIT if limit is None else limit)
    render_similar(found, name, config.root, fmt, sys.stdout, color)


def show(
    tag: Annotated[str, typer.Argument(metavar="TAG", help="The tag's name.")],
    fmt: Annotated[
        str, typer.Option("--format", "-f", metavar="FORMAT", help="text or json.")
    ] = "text",
    history: Annotated[
        bool, typer.Option("--history/--no-history", help="Read KPIs from the history store.")
    ] = True,
    catalog: Annotated[Path | None, CatalogOption] = None,
) -> None:
    """Show a tag: its whole definition, the tags that depend on it, and its latest
    KPIs and coverage trend from the history of `tagctl kpi --save`.

    Exit 0, or 2 for an unknown tag (with a suggestion).
    """
    # lazy: a command loads only what it runs, so that start-up stays fast
    from tagctl.explore.profile import profile
    from tagctl.formats.catalog import SHOW_FORMATS, render_profile

    check_format(fmt, SHOW_FORMATS)
    config, tags = load_catalog(catalog)
    render_profile(profile(config, tags, tag, history), config, fmt, sys.stdout)


def deps(
    tag: Annotated[str, typer.Argument(metavar="TAG", help="The tag's name.")],
    reverse: Annotated[
        bool, typer.Option("--reverse", "-r", help="Walk to the tags that depend on TAG.")
    ] = False,
    depth: Annotated[
        int | None,
        typer.Option(
            "--depth", "-d", metavar="N", help="At most N levels (deeper chains are cut at 100)."
        ),
    ] = None,
    fmt: Annotated[
        str, typer.Option("--format", "-f", metavar="FORMAT", help="tree, mermaid or dot.")
    ] = "tree",
    catalog: Annotated[Path | None, CatalogOption] = None,
) -> None:
    """Show what a tag depends on, down to its source tables, or with --reverse
    what depends on it.

    Exit 0, or 2 for an unknown tag, a bad --depth or format.
    """
    # lazy: a command loads only what it runs, so that start-up stays fast
    from tagctl.explore.deps import dependency_tree
    from tagctl.formats.deps import FORMATS, render_deps

    check_format(fmt, FORMATS)
    _, tags = load_catalog(catalog)
    render_deps(dependency_tree(tags, tag, reverse, depth), fmt, sys.stdout)


def export(
    fmt: Annotated[
        str, typer.Option("--format", "-f", metavar="FORMAT", help="json, csv or datahub.")
    ] = "json",
    output: Annotated[Path | None, OutputOption] = None,
    catalog: Annotated[Path | None, CatalogOption] = None,
) -> None:
    """Export the whole dictionary, deprecated and retired tags included.

    Exit 0, or 2 for a bad format.
    """
    # lazy: a command loads only what it runs, so that start-up stays fast
    from tagctl.formats.export import FORMATS, render_export

    check_format(fmt, FORMATS)
    config, tags = load_catalog(catalog)
    with open_output(output) as stream:
        render_export(tags, config, fmt, stream)


def new(
    name: Annotated[str, typer.Argument(metavar="NAME", help="The new tag's name.")],
    category: Annotated[
        str, typer.Option("--category", "-c", metavar="KEY", help="Its category (tagctl.yaml).")
    ],
    kind: Annotated[
        str | None,
        typer.Option("--type", "-t", metavar="TYPE", help="fact, rule, model or strategy."),
    ] = None,
    value_type: Annotated[
        str | None,
        typer.Option(
            "--value-type",
            metavar="TYPE",
            help="boolean, enum, integer, number, string or date. "
            "Default: boolean for rule and strategy, number for model, string for fact.",
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", "-n", help="Print the file; write nothing.")
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Write it even when a live tag looks the same.")
    ] = False,
    catalog: Annotated[Path | None, CatalogOption] = None,
) -> None:
    """Create tags/<category>/<name>.yaml, a new draft tag with TODO placeholders.

    Exit 0 and print the new file's path; 1 when a live tag looks like the new
    one (listed on stderr; --force writes anyway); 2 for a name that breaks
    the naming rules, an unknown category or type, or a tag or file that
    already exists.
    """
    # lazy: a command loads only what it runs, so that start-up stays fast
    from tagctl.explore.newtag import new_tag, write
    from tagctl.explore.similar import reuse
    from tagctl.formats.catalog import reuse_lines

    config, tags = load_catalog(catalog, quiet=True)
    created = new_tag(config, tags, name, category, kind, value_type)
    found = reuse(tags, created.name, created.category)
    if found:
        first, *rest = reuse_lines(created.name, found)
        sys.stderr.writelines([f"tagctl: {first}\n", *(f"{line}\n" for line in rest)])
    if dry_run:
        sys.stdout.write(created.text)
        return
    if found and not force:
        sys.stderr.write(
            "tagctl: nothing written: reuse that tag, or pass --force to create "
            f"{created.name} anyway\n"
        )
        raise typer.Exit(EXIT_FINDINGS)
    write(created, config.root)
    sys.stdout.write(f"{shown(created.path)}\n")
    sys.stderr.write(
        f"tagctl: created a draft {created.type} tag; replace its TODO placeholders, "
        "then run tagctl lint\n"
    )


def load_catalog(catalog: Path | None, quiet: bool = False) -> tuple[Config, list[Tag]]:
    # lazy: a command loads only what it runs, so that start-up stays fast
    from tagctl.catalog.config import load_catalog_config
    from tagctl.catalog.tags import load_tags

    config = load_catalog_config(catalog)
    tags, skipped = load_tags(config)
    if skipped and not quiet:
        sys.stderr.write(
            f"tagctl: warning: {len(skipped)} tag files could not be read and are left out "
            "(tagctl lint says why)\n"
        )
    return config, tags


def shown(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
