from __future__ import annotations

from collections.abc import Iterator

from tagctl.rulekit import FileRule, LintContext, Problem, TagFile

_NUMERIC = {"integer", "number"}


class ValueSpec(FileRule):
    """The value specification disagrees with `value_type`.

    An `enum` tag lists its `values`, and only enum tags do; each value is
    listed once. `range` and `bins` belong to `integer` and `number` tags;
    `range.min` is at most `range.max` and `bins` are strictly ascending.
    KPIs rely on these to count domain violations and to bucket drift.
    """

    code = "TG106"
    name = "value-spec"
    hint = "make values/range/bins agree with value_type"

    def check(self, tag: TagFile, ctx: LintContext) -> Iterator[Problem]:
        value_type = tag.text("value_type")
        if value_type is None:
            return
        values = tag.get("values")
        if value_type == "enum" and values is None:
            yield Problem("an enum tag must list its values", path=("value_type",))
        if value_type != "enum" and values is not None:
            yield Problem(f"values are only for enum tags, not {value_type}", ("values",), True)
        if isinstance(values, list):
            yield from _repeated_values(values)
        for key in ("range", "bins"):
            if tag.get(key) is not None and value_type not in _NUMERIC:
                yield Problem(f"{key} is only for integer or number tags", (key,), True)
        yield from _range_order(tag)
        yield from _bins_order(tag)


def _repeated_values(values: list[object]) -> Iterator[Problem]:
    seen: set[object] = set()
    for index, item in enumerate(values):
        value = item.get("value") if isinstance(item, dict) else None
        if value is None or isinstance(value, (dict, list)):
            continue
        if value in seen:
            yield Problem(f"value '{value}' is listed twice", ("values", index, "value"))
        seen.add(value)


def _range_order(tag: TagFile) -> Iterator[Problem]:
    low, high = tag.get("range", "min"), tag.get("range", "max")
    if _number(low) and _number(high) and low > high:
        yield Problem(f"range.min ({low}) is greater than range.max ({high})", ("range", "min"))


def _bins_order(tag: TagFile) -> Iterator[Problem]:
    bins = tag.get("bins")
    if not isinstance(bins, list) or not all(_number(edge) for edge in bins):
        return
    for index in range(1, len(bins)):
        if bins[index] <= bins[index - 1]:
            yield Problem("bins must be strictly ascending", ("bins", index))
            return


def _number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)
