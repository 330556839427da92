"""From a KPI document (and the catalog, and history) to the `Report` to render.

`build_report` is the one entry point: `tagctl report` calls it with a fresh
run's document or with a saved one (`--from-history`); both render the same.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tagctl.catalog.config import Config
from tagctl.catalog.tags import Tag
from tagctl.kpi.settings import kpi_settings
from tagctl.report import admin, entries, management, operations
from tagctl.report.context import Context
from tagctl.report.i18n import Language, moment
from tagctl.report.model import Fact, Report, Tab

ROLES = ("admin", "operator", "executive")
VIEWS: Mapping[str, Sequence[Callable[[Context], Tab]]] = {
    "admin": (admin.admin,),
    "operator": (operations.operator,),
    "executive": (management.executive,),
}
LAST: Mapping[str, Callable[[Context], Tab]] = {"admin": admin.cleanup}


@dataclass(frozen=True)
class ReportOptions:
    lang: str
    roles: tuple[str, ...]
    top_n: int
    title: str | None = None


@dataclass(frozen=True)
class ReportHistory:
    """What history adds: run summaries and per-tag coverage, oldest run first."""

    summaries: Sequence[Mapping[str, Any]] = ()
    trends: Sequence[Mapping[str, Any]] = ()


def report_options(
    config: Config, lang: str | None = None, role: str | None = None
) -> ReportOptions:
    """The report settings of `tagctl.yaml`, with the command line's choices on top."""
    section: Mapping[str, Any] = config.sections.get("report") or {}
    roles = tuple(section.get("roles") or ROLES)
    if role is not None:
        roles = ROLES if role == "all" else (role,)
    return ReportOptions(
        lang=lang or str(section.get("lang", "zh")),
        roles=roles,
        top_n=int(section.get("top_n", 20)),
        title=section.get("title"),
    )


def build_report(
    document: Mapping[str, Any],
    tags: Sequence[Tag],
    config: Config,
    options: ReportOptions,
    history: ReportHistory | None = None,
) -> Report:
    say = Language(options.lang)
    history = history or ReportHistory()
    summaries = _with_current(history.summaries, document)
    ctx = Context(
        document=document,
        tags={tag.name: tag for tag in tags},
        config=config,
        settings=kpi_settings(config),
        say=say,
        top_n=options.top_n,
        summaries=summaries,
        coverage_trends=_coverage_trends(history.trends, summaries, document),
    )
    roles = [role for role in ROLES if role in options.roles]
    tabs = [make(ctx) for role in roles for make in VIEWS[role]]
    tabs += [LAST[role](ctx) for role in roles if role in LAST]
    tabs.append(entries.all_tags(ctx))
    return Report(
        lang=options.lang,
        title=options.title or say("title"),
        subtitle=config.name,
        facts=_facts(ctx),
        notes=tuple(document.get("notes") or ()),
        tabs=tuple(tabs),
        columns=entries.columns(ctx),
        entries=entries.entries(ctx),
        footer=say(
            "footer", version=document.get("tagctl_version", ""), as_of=moment(document["as_of"])
        ),
        words={
            key: say(key)
            for key in ("search", "search_hint", "shown_of", "col_trend", "detail_values")
        },
    )


def _facts(ctx: Context) -> tuple[Fact, ...]:
    say, document = ctx.say, ctx.document
    population = document["population"]
    warehouse = document.get("warehouse") or {}
    facts = [
        Fact(say("as_of"), moment(document["as_of"]) + " UTC"),
        Fact(say("window"), say("days", n=document["window_days"])),
        Fact(
            say("population"),
            say.number(population["size"]) + f" ({say('population_' + population['definition'])})",
        ),
        Fact(say("warehouse"), str(warehouse.get("dialect", "–"))),
    ]
    if document.get("previous_run"):
        facts.append(Fact(say("previous_run"), moment(document["previous_run"])))
    return tuple(facts)


def _with_current(
    summaries: Sequence[Mapping[str, Any]], document: Mapping[str, Any]
) -> list[Mapping[str, Any]]:
    """History's run summaries, ending with the document's own run."""
    runs = list(summaries)
    as_of = document["as_of"]
    if runs and _iso(runs[-1]["as_of"]) == as_of:
        return runs
    current = {
        "as_of": as_of,
        "population": document["population"]["size"],
        "catalog": document["catalog"],
    }
    return [*runs, current]


def _coverage_trends(
    rows: Sequence[Mapping[str, Any]],
    summaries: Sequence[Mapping[str, Any]],
    document: Mapping[str, Any],
) -> dict[str, list[float | None]]:
    """Tag -> its coverage in each run of `summaries` (None where it was not measured)."""
    position = {_iso(run["as_of"]): index for index, run in enumerate(summaries)}
    trends: dict[str, list[float | None]] = {}
    for row in rows:
        index = position.get(_iso(row["as_of"]))
        if index is not None:
            trends.setdefault(row["tag_name"], [None] * len(summaries))[index] = row["coverage"]
    last = position.get(document["as_of"])
    if last is not None:
        for name, kpi in document["tags"].items():
            trends.setdefault(name, [None] * len(summaries))[last] = kpi.get("coverage")
    return trends


def _iso(value: Any) -> str:
    return value.isoformat(timespec="seconds") if hasattr(value, "isoformat") else str(value)
