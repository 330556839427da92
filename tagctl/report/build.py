"""From a KPI run (and the catalog, and history) to the `Report` to render.

`build_report` is the one entry point: `publish` calls it with a fresh run
or with a saved one (`--from-history`), both as their JSON document reads
back, so both render the same.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tagctl.catalog.config import Config
from tagctl.catalog.tags import Tag
from tagctl.errors import UsageError
from tagctl.kpi.result import KpiRun, RunSummary, iso
from tagctl.kpi.settings import kpi_settings
from tagctl.report import admin, entries, executive, i18n, operator
from tagctl.report.context import Context
from tagctl.report.i18n import Language, moment
from tagctl.report.model import Fact, Report, Tab

ROLES = ("admin", "operator", "executive")
VIEWS: Mapping[str, Sequence[Callable[[Context], Tab]]] = {
    "admin": (admin.admin,),
    "operator": (operator.operator,),
    "executive": (executive.executive,),
}
LAST: Mapping[str, Callable[[Context], Tab]] = {"admin": admin.cleanup}
WORDS = ("search", "search_hint", "shown_of", "col_trend", "detail_values")  # for the script


@dataclass(frozen=True)
class ReportOptions:
    lang: str
    roles: tuple[str, ...]
    top_n: int
    title: str | None = None


@dataclass(frozen=True)
class ReportHistory:
    """What history adds, as the store gives it (`History.summaries` and `History.trends`):
    run summaries and per-tag coverage, oldest run first."""

    summaries: Sequence[Mapping[str, Any]] = ()
    trends: Sequence[Mapping[str, Any]] = ()


def role_named(name: str) -> str | None:
    """The role `--role NAME` asks for: a role, `all`, or a view's title in either
    language, case aside (`management` is the executive view); None if none."""
    wanted = name.strip().casefold()
    if wanted in (*ROLES, "all"):
        return wanted
    for role in ROLES:
        if wanted in (title.casefold() for title in i18n.WORDS[f"role_{role}"]):
            return role
    return None


def role_choices() -> str:
    """The names --role takes, for its help and its error."""
    views = (f"{role} ({', '.join(i18n.WORDS[f'role_{role}'])})" for role in ROLES)
    return f"{', '.join(views)} or all"


def report_options(
    config: Config, lang: str | None = None, role: str | None = None
) -> ReportOptions:
    """The report settings of `tagctl.yaml`, with the command line's choices on top."""
    section: Mapping[str, Any] = config.sections.get("report") or {}
    roles = tuple(section.get("roles") or ROLES)
    if role is not None:
        chosen_role = role_named(role)
        if chosen_role is None:
            raise UsageError(f"--role: '{role}' is not {role_choices()}")
        roles = ROLES if chosen_role == "all" else (chosen_role,)
    configured = str(section.get("lang", "zh"))
    chosen = lang or configured
    return ReportOptions(
        lang=chosen,
        roles=roles,
        top_n=int(section.get("top_n", 20)),
        title=_title(section.get("title"), chosen, configured),
    )


def _title(title: str | Mapping[str, str] | None, lang: str, configured: str) -> str | None:
    """The configured title in `lang`: {zh, en} per language, or a plain string, which is
    the title in `report.lang` only. None: the built-in title of `lang`."""
    if isinstance(title, Mapping):
        return title.get(lang)
    return title if lang == configured else None


def build_report(
    run: KpiRun | Mapping[str, Any],
    tags: Sequence[Tag],
    config: Config,
    options: ReportOptions,
    history: ReportHistory | None = None,
) -> Report:
    """The report of `run` (or of its JSON document, read back first)."""
    if not isinstance(run, KpiRun):
        run = KpiRun.from_document(run)
    ctx = _context(run, tags, config, options, history or ReportHistory())
    say = ctx.say
    roles = [role for role in ROLES if role in options.roles]
    tabs = [make(ctx) for role in roles for make in VIEWS[role]]
    tabs += [LAST[role](ctx) for role in roles if role in LAST]
    tabs.append(entries.all_tags(ctx))
    return Report(
        lang=options.lang,
        title=options.title or say("title"),
        subtitle=config.name,
        facts=_facts(ctx),
        notes=tuple(run.notes),
        tabs=tuple(tabs),
        columns=entries.columns(ctx),
        entries=entries.entries(ctx),
        footer=say("footer", version=run.tagctl_version, as_of=moment(run.as_of)),
        words={key: say(key) for key in WORDS},
    )


def _context(
    run: KpiRun,
    tags: Sequence[Tag],
    config: Config,
    options: ReportOptions,
    history: ReportHistory,
) -> Context:
    summaries = _with_current([RunSummary.read(row) for row in history.summaries], run)
    return Context(
        run=run,
        tags={tag.name: tag for tag in tags},
        config=config,
        settings=kpi_settings(config),
        say=Language(options.lang),
        top_n=options.top_n,
        summaries=summaries,
        coverage_trends=_coverage_trends(history.trends, summaries, run),
    )


def _facts(ctx: Context) -> tuple[Fact, ...]:
    say, run = ctx.say, ctx.run
    population = run.population
    facts = [
        Fact(say("as_of"), moment(run.as_of) + " UTC"),
        Fact(say("window"), say("days", n=run.window_days)),
        Fact(
            say("population"),
            say.number(population.size) + f" ({say('population_' + population.definition)})",
        ),
        Fact(say("warehouse"), str(run.warehouse.get("dialect", "–"))),
    ]
    if run.previous_run is not None:
        facts.append(Fact(say("previous_run"), moment(run.previous_run)))
    return tuple(facts)


def _with_current(summaries: list[RunSummary], run: KpiRun) -> list[RunSummary]:
    """History's run summaries, ending with the run's own."""
    if summaries and iso(summaries[-1].as_of) == iso(run.as_of):
        return summaries
    return [*summaries, RunSummary(run.as_of, run.population.size, run.catalog)]


def _coverage_trends(
    rows: Sequence[Mapping[str, Any]], summaries: Sequence[RunSummary], run: KpiRun
) -> dict[str, list[float | None]]:
    """Tag -> its coverage in each run of `summaries` (None where it was not measured).

    `rows` are the history's trend rows: `as_of` (a time or its text), `tag_name`, `coverage`.
    """
    position = {iso(summary.as_of): index for index, summary in enumerate(summaries)}
    trends: dict[str, list[float | None]] = {}
    for row in rows:
        index = position.get(_iso(row["as_of"]))
        if index is not None:
            trends.setdefault(row["tag_name"], [None] * len(summaries))[index] = row["coverage"]
    last = position.get(iso(run.as_of))
    if last is not None:
        for name, kpi in run.tags.items():
            trends.setdefault(name, [None] * len(summaries))[last] = kpi.coverage
    return trends


def _iso(value: Any) -> str:
    return iso(value) if hasattr(value, "isoformat") else str(value)
