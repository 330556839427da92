"""A focused index gives each of its subjects what the whole catalog gives it.

Lint of some files (pre-commit) builds the catalog index with those files
as its subjects, and the cross-file rules then look at no more of the
catalog than the subjects' problems depend on. For every cross-file rule,
on catalogs drawn to be dense with what those rules find (duplicate and
unknown names, cycles, ended tags and replacement chains, shared display
names and logic), each subject must get the same problems, in the same
order, as in a run over the whole catalog.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from clihelpers import SAMPLE_CATALOG
from hypothesis import given, settings
from hypothesis import strategies as st

from tagctl.catalog.config import load_catalog_config
from tagctl.rulekit import CatalogIndex, CatalogRule, LintContext, TagSummary
from tagctl.rules import ALL

NAMES = ["a", "b", "c", "d", "e", "f"]  # few, so that names repeat and reference each other
REFERENCES = [*NAMES, "a_x", "zz"]  # with unknown names, one close to a known one
STATUS = ["online", "online", "deprecated", "retired", "draft"]
LABELS = ["", "标签一", "标签二", "label"]
RULES = [rule for rule in ALL if issubclass(rule, CatalogRule)]
CONTEXT = LintContext(load_catalog_config(SAMPLE_CATALOG), dt.date(2026, 11, 23))


@st.composite
def summaries(draw: st.DrawFn) -> list[TagSummary]:
    count = draw(st.integers(1, 12))
    found = []
    for i in range(count):
        zh, en = draw(st.sampled_from(LABELS)), draw(st.sampled_from(LABELS))
        found.append(
            TagSummary(
                rel=f"tags/t{i:02d}.yaml",
                name=draw(st.sampled_from(NAMES)),
                status=draw(st.sampled_from(STATUS)),
                category="behavior",
                type="rule",
                depends_on=tuple(draw(st.lists(st.sampled_from(REFERENCES), max_size=3))),
                replaced_by=draw(st.sampled_from(["", *REFERENCES])),
                zh=zh,
                en=en,
                zh_key=zh,
                en_key=en,
                logic_digest=draw(st.sampled_from(["", "l1", "l2"])),
                sunset=draw(st.sampled_from(["", "2026-01-01", "2027-01-01", "later"])),
            )
        )
    return found


def by_file(found: list[tuple[str, object]], files: set[str]) -> dict[str, list[object]]:
    grouped: dict[str, list[object]] = defaultdict(list)
    for rel, problem in found:
        if rel in files:
            grouped[rel].append(problem)
    return dict(grouped)


@settings(max_examples=300, deadline=None)
@given(summaries(), st.data())
def test_each_subject_gets_what_the_whole_catalog_gives_it(
    tags: list[TagSummary], data: st.DataObject
) -> None:
    focus = set(data.draw(st.lists(st.sampled_from([t.rel for t in tags]), max_size=4)))
    for rule in RULES:
        whole = list(rule().check(CatalogIndex(tags), CONTEXT))
        focused = list(rule().check(CatalogIndex(tags, focus), CONTEXT))
        assert by_file(focused, focus) == by_file(whole, focus), rule.code


def test_a_focused_index_reads_only_what_its_subjects_touch() -> None:
    def tag(rel: str, name: str, *depends: str, replaced_by: str = "") -> TagSummary:
        return TagSummary(
            rel, name, "online", "behavior", "rule", depends, replaced_by, "", "", "", "", "", ""
        )

    tags = [
        tag("tags/a.yaml", "a", "b"),
        tag("tags/b.yaml", "b", "c"),
        tag("tags/c.yaml", "c"),
        tag("tags/d.yaml", "d", "a"),  # names the subject
        tag("tags/e.yaml", "e", replaced_by="a"),  # names it too
        tag("tags/f.yaml", "f", "c"),  # does not
    ]
    index = CatalogIndex(tags, {"tags/a.yaml"})
    assert [t.name for t in index.subjects] == ["a"]
    assert [t.name for t in index.related] == ["a", "d", "e"]
    assert [(e.tag.name, e.name) for e in index.edges] == [("a", "b"), ("d", "a")]
    assert index.reachable() == {"a": ["b"], "b": ["c"], "c": []}
    whole = CatalogIndex(tags)
    assert whole.related == whole.subjects == whole.summaries
    assert whole.reachable() == {"a": ["b"], "b": ["c"], "c": [], "d": ["a"], "e": [], "f": ["c"]}
