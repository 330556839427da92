from __future__ import annotations

from collections.abc import Iterator

from tagctl.rulekit import CatalogIndex, CatalogRule, LintContext, Problem


class NoTagFiles(CatalogRule):
    """The catalog has no tag file to check.

    Lint of the whole catalog found no tag file under `catalog.tags_dir`
    (or `lint.ignore` leaves none), so it checked nothing. Reported on
    tagctl.yaml, as a warning, because a typo in `tags_dir` or a glob in
    `lint.ignore` would otherwise keep CI green while checking nothing:

        catalog:
          tags_dir: tag          # the files are in tags/

    A new catalog starts with `tagctl new` or `tagctl init`.
    """

    code = "TG012"
    name = "no-tag-files"
    severity = "warning"
    hint = "check catalog.tags_dir and lint.ignore in tagctl.yaml, or add a tag"

    def check(self, catalog: CatalogIndex, ctx: LintContext) -> Iterator[tuple[str, Problem]]:
        if ctx.tag_files != 0 or ctx.config.file is None:
            return
        where = ("catalog", "tags_dir")
        line, column = ctx.config.position(where, at_key=False)
        rel = ctx.config.file.name
        folder = ctx.config.tags_dir.relative_to(ctx.config.root).as_posix()
        message = f"no tag file to check in '{folder}' (catalog.tags_dir)"
        yield rel, Problem(message, where, line=line, column=column)
