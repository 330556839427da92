"""`tagctl show` as text: the definition field by field, dependents, KPIs and trend."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator

from tagctl.catalog.config import Config
from tagctl.catalog.tags import Tag
from tagctl.explore.profile import Profile, TrendPoint
from tagctl.explore.records import relative
from tagctl.kpi.result import TagKpi

WIDTH = 100
LABEL = 14
_BARS = "▁▂▃▄▅▆▇█"


def profile_lines(profile: Profile, config: Config) -> list[str]:
    tag = profile.tag
    lines = [f"{tag.name}  v{tag.version}  [{tag.status}]", f"{tag.zh} · {tag.en}", ""]
    lines += [_field(label, value) for label, value in _fields(profile, config) if value]
    lines += _section("logic", [f"  {line}" for line in tag.logic.rstrip().splitlines()])
    lines += _section(
        "changelog", [f"  {c.version:<8} {c.date}  {c.change}" for c in tag.changelog]
    )
    lines += _section("latest KPIs", list(_kpi_lines(profile)))
    return lines


def _fields(profile: Profile, config: Config) -> Iterator[tuple[str, str]]:
    tag, category = profile.tag, profile.category
    yield "description", tag.description
    yield "type", tag.type
    label = f" ({category.zh} / {category.en})" if category else " (unknown category)"
    yield "category", tag.category + label
    yield "value type", tag.value_type + _bounds(tag)
    yield "values", ", ".join(_value(v.value, v.zh, v.en) for v in tag.values)
    yield "window", tag.window
    yield "refresh", tag.refresh
    yield "granularity", tag.granularity
    yield "tier", tag.tier
    yield "sensitivity", tag.sensitivity
    yield "owners", _owners(tag)
    tables = ", ".join(tag.source_tables)
    yield "source", tag.source_system + (f": {tables}" if tables else "")
    yield "depends on", ", ".join(tag.depends_on) or "-"
    yield "dependents", ", ".join(profile.dependents) or "-"
    yield "deprecation", _deprecation(tag)
    yield "renamed from", tag.renamed_from
    yield "file", relative(tag.path, config.root)


def _field(label: str, value: str) -> str:
    indent = " " * (LABEL + 2)
    paragraphs = [
        textwrap.fill(part, WIDTH, initial_indent=indent, subsequent_indent=indent)
        for part in value.splitlines() or [""]
    ]
    return f"  {label:<{LABEL}}" + "\n".join(paragraphs)[len(indent) :]


def _section(title: str, body: list[str]) -> list[str]:
    return ["", title, *body] if body else []


def _bounds(tag: Tag) -> str:
    if tag.minimum is None and tag.maximum is None:
        return ""
    low = "" if tag.minimum is None else f"{tag.minimum:g}"
    high = "" if tag.maximum is None else f"{tag.maximum:g}"
    return f", range [{low}, {high}]"


def _value(value: str, zh: str, en: str) -> str:
    labels = " / ".join(label for label in (zh, en) if label)
    return f"{value} ({labels})" if labels else value


def _owners(tag: Tag) -> str:
    parts = [
        f"{role} {who}"
        for role, who in (
            ("business", tag.business_owner),
            ("data", tag.data_owner),
            ("creator", tag.creator),
        )
        if who
    ]
    return ", ".join(parts)


def _deprecation(tag: Tag) -> str:
    if tag.status not in ("deprecated", "retired"):
        return ""
    parts = [tag.deprecation_reason or "(no reason given)"]
    if tag.replaced_by:
        parts.append(f"use {tag.replaced_by} instead")
    if tag.sunset:
        parts.append(f"sunset {tag.sunset}")
    if tag.deprecated_at or tag.deprecated_by:
        parts.append(" ".join(filter(None, ["deprecated", tag.deprecated_at, tag.deprecated_by])))
    return "; ".join(parts)


def _kpi_lines(profile: Profile) -> Iterator[str]:
    if profile.history_note:
        yield f"  {profile.history_note}"
    kpi = profile.latest
    if kpi is None:
        return
    yield f"  run as of {profile.measured_as_of}, window {profile.window_days} d"
    yield f"  coverage      {_pct(kpi.coverage)} ({_int(kpi.holders)} holders)"
    fresh = kpi.freshness_hours
    stale = " (stale)" if kpi.stale else ""
    yield f"  freshness     {'-' if fresh is None else f'{fresh:.0f} h'}{stale}"
    yield f"  bad values    {_int(kpi.domain_violations)}"
    yield from _usage_lines(kpi)
    yield f"  drift (PSI)   {'-' if kpi.psi is None else f'{kpi.psi:.3f}'}"
    for alert in kpi.alerts:
        yield f"  {alert.level:<13} {alert.code} {alert.message}"
    if len(profile.trend) > 1:
        yield f"  trend         {_trend(profile.trend)}"


def _usage_lines(kpi: TagKpi) -> Iterator[str]:
    yield f"  usage         {_int(kpi.events)} uses by {_int(kpi.consumers)} consumers"
    if kpi.activation_rate is not None:
        yield f"  activation    {_pct(kpi.activation_rate)}"
    lift = kpi.absolute_lift
    if lift is not None:
        mark = ", significant" if kpi.significant else ""
        yield f"  lift          {lift * 100:+.1f} pp (q {_num(kpi.q_value)}{mark})"
    if kpi.audience_index is not None:
        yield f"  audience idx  {kpi.audience_index:.2f}"
    yield from _value_lines(kpi)


def _value_lines(kpi: TagKpi) -> Iterator[str]:
    """Basket and repeat indices, the conversion cycle against control, ROI: where measured."""
    quality, conversion, roi = kpi.audience_quality, kpi.conversion, kpi.roi
    if quality is not None and (quality.aov_index, quality.repeat_index) != (None, None):
        yield (
            f"  AOV idx       {_fixed(quality.aov_index)}"
            f" ({_fixed(quality.holder_aov)} vs {_fixed(quality.population_aov)})"
        )
        yield (
            f"  repeat idx    {_fixed(quality.repeat_index)}"
            f" ({_pct(quality.holder_repeat_rate)} vs {_pct(quality.population_repeat_rate)})"
        )
    difference = None if conversion is None else conversion.cycle_difference_days
    if conversion is not None and difference is not None:
        low, high = conversion.cycle_ci_low, conversion.cycle_ci_high
        interval = "" if low is None or high is None else f", 95% CI [{low:+.1f}, {high:+.1f}]"
        yield (
            f"  cycle         {difference:+.1f} d vs control{interval}"
            f" ({_fixed(conversion.conversion_cycle_days, 1)}"
            f" vs {_fixed(conversion.control_cycle_days, 1)} d)"
        )
    if roi is not None:
        yield (
            f"  ROI           {_fixed(roi.roi)} (incremental revenue "
            f"{_fixed(roi.incremental_revenue, 0)}, cost {_fixed(roi.cost, 0)})"
        )


def _trend(points: tuple[TrendPoint, ...]) -> str:
    """Coverage over the saved runs: a sparkline, then first and last values with dates."""
    values = [p.coverage for p in points if p.coverage is not None]
    if not values:
        return "-"
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    spark = "".join(
        " " if p.coverage is None else _BARS[round((p.coverage - low) / span * (len(_BARS) - 1))]
        for p in points
    )
    first, last = points[0], points[-1]
    return (
        f"coverage {spark}  {_pct(first.coverage)} ({first.as_of:%Y-%m-%d})"
        f" → {_pct(last.coverage)} ({last.as_of:%Y-%m-%d}), {len(points)} runs"
    )


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.1%}"


def _int(value: int | None) -> str:
    return "-" if value is None else f"{value:,}"


def _fixed(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.3g}"
