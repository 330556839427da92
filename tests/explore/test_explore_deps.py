"""Dependency trees: tables as leaves, cycles, repeats, depth, and the three renderings."""

from __future__ import annotations

import re

import pytest
from explorehelpers import make_tag, sample

from tagctl.catalog.tags import Tag
from tagctl.errors import UsageError
from tagctl.explore.deps import MAX_DEPTH, Node, dependency_tree
from tagctl.formats.deps import dot, mermaid, text_tree

DIAMOND = [
    make_tag("top", depends_on=("left", "right"), source_tables=("dws.wide",)),
    make_tag("left", depends_on=("base",)),
    make_tag("right", depends_on=("base", "ghost")),
    make_tag("base", source_tables=("dwd.events", "dim.users")),
]
CYCLE = [
    make_tag("a", depends_on=("b",)),
    make_tag("b", depends_on=("c",)),
    make_tag("c", depends_on=("a",), source_tables=("dwd.c",)),
]


def shape(node: Node) -> object:
    mark = "↺" if node.cycle else "=" if node.repeated else "…" if node.truncated else ""
    label = f"{node.kind}:{node.name}{mark}"
    return (label, [shape(child) for child in node.children]) if node.children else label


def test_forward_walks_to_source_tables_and_expands_each_tag_once() -> None:
    tree = dependency_tree(DIAMOND, "top")
    assert shape(tree.root) == (
        "tag:top",
        [
            ("tag:left", [("tag:base", ["table:dwd.events", "table:dim.users"])]),
            ("tag:right", ["tag:base=", "unknown:ghost"]),
            "table:dws.wide",
        ],
    )


def test_reverse_walks_to_dependents_without_tables() -> None:
    tree = dependency_tree(DIAMOND, "base", reverse=True)
    assert shape(tree.root) == (
        "tag:base",
        [("tag:left", ["tag:top"]), ("tag:right", ["tag:top"])],  # top hides nothing
    )


def test_depth_limits_levels_and_marks_what_was_cut() -> None:
    tree = dependency_tree(DIAMOND, "top", depth=1)
    assert shape(tree.root) == ("tag:top", ["tag:left…", "tag:right…", "table:dws.wide"])
    with pytest.raises(UsageError):
        dependency_tree(DIAMOND, "top", depth=0)


def test_a_cycle_is_marked_and_not_followed() -> None:
    tree = dependency_tree(CYCLE, "a")
    assert shape(tree.root) == ("tag:a", [("tag:b", [("tag:c", ["tag:a↺", "table:dwd.c"])])])
    cycle_edges = [(e.upstream.name, e.downstream.name) for e in tree.edges() if e.cycle]
    assert cycle_edges == [("a", "c")]
    reverse = dependency_tree(CYCLE, "a", reverse=True)
    assert shape(reverse.root) == ("tag:a", [("tag:c", [("tag:b", ["tag:a↺"])])])


def test_self_dependency_terminates() -> None:
    tree = dependency_tree([make_tag("me", depends_on=("me",))], "me")
    assert shape(tree.root) == ("tag:me", ["tag:me↺"])


def test_unknown_tag_is_a_usage_error_with_a_suggestion() -> None:
    with pytest.raises(UsageError, match="unknown tag") as caught:
        dependency_tree(DIAMOND, "tpo")
    assert "did you mean top?" in str(caught.value)


def test_edges_point_the_way_data_flows_in_both_directions() -> None:
    forward = dependency_tree(DIAMOND, "top").edges()
    reverse = dependency_tree(DIAMOND, "base", reverse=True).edges()
    flows = {(e.upstream.name, e.downstream.name) for e in forward}
    assert {("left", "top"), ("base", "left"), ("dwd.events", "base")} <= flows
    assert {(e.upstream.name, e.downstream.name) for e in reverse} == {
        ("base", "left"),
        ("base", "right"),
        ("left", "top"),
        ("right", "top"),
    }


def test_text_tree_draws_branches() -> None:
    lines = text_tree(dependency_tree(CYCLE, "a"))
    assert lines == [
        "a  标签a  [online]",
        "└── b  标签b  [online]",
        "    └── c  标签c  [online]",
        "        ├── a  标签a  [online]  ↺ cycle",
        "        └── dwd.c (table)",
    ]


MERMAID_LINE = re.compile(
    r"flowchart LR"
    r'|    \w+\["[^"]*"\]'
    r'|    \w+\[\("[^"]*"\)\]'
    r"|    \w+ (-->|-\. cycle \.->) \w+"
    r"|    classDef \w+ .+"
    r"|    class [\w,]+ \w+"
)


def test_mermaid_is_a_flowchart_with_safe_ids() -> None:
    tags = [*DIAMOND, make_tag("end", zh='say "hi"', depends_on=("top",))]
    lines = mermaid(dependency_tree(tags, "end"))
    assert lines[0] == "flowchart LR"
    for line in lines:
        assert MERMAID_LINE.fullmatch(line), line
    assert '    tag_end["end<br/>say #quot;hi#quot;"]' in lines
    # a name with characters ids cannot hold gets a suffix from its hash, so that
    # `dwd.events` and a table `dwd_events` stay two nodes
    (table,) = [line.split("[")[0].strip() for line in lines if '[("dwd.events")]' in line]
    assert re.fullmatch(r"table_dwd_events_[0-9a-f]{8}", table), table
    assert f"    {table} --> tag_base" in lines
    assert "    classDef unknown stroke-dasharray: 4 4" in lines


def test_mermaid_marks_cycle_edges() -> None:
    lines = mermaid(dependency_tree(CYCLE, "a"))
    assert "    tag_a -. cycle .-> tag_c" in lines


DOT_LINE = re.compile(
    r"digraph deps \{|    rankdir=LR;|    node \[.*\];|\}"
    r'|    "(?:[^"\\]|\\.)*" \[(?:\w+=(?:"(?:[^"\\]|\\.)*"|\w+)(?:, )?)+\];'
    r'|    "(?:[^"\\]|\\.)*" -> "(?:[^"\\]|\\.)*"( \[style=dashed, color=red, label="cycle"\])?;'
)


def test_dot_is_a_digraph_with_escaped_labels() -> None:
    tags = [*CYCLE, make_tag("q", zh='引号"\\', depends_on=("a",))]
    lines = dot(dependency_tree(tags, "q"))
    assert lines[0] == "digraph deps {" and lines[-1] == "}"
    for line in lines:
        assert DOT_LINE.fullmatch(line), line
    assert '    "q" [label="q\\n引号\\"\\\\", penwidth=2];' in lines
    assert '    "table:dwd.c" [label="dwd.c", shape=cylinder];' in lines
    assert '    "a" -> "c" [style=dashed, color=red, label="cycle"];' in lines


def test_sample_catalog_forward_tree_reaches_tables() -> None:
    _, tags = sample()
    tree = dependency_tree(tags, "high_potential_repurchase")
    kinds = {node.kind for node in tree.nodes()}
    assert kinds == {"tag", "table"}
    assert any(node.name == "dws.user_tag_wide" for node in tree.root.children)


# --- chains deeper than the interpreter's stack (a hostile or generated catalog)


def _chain(length: int) -> list[Tag]:
    names = [f"visit_item{i}_30d" for i in range(length)]
    return [
        make_tag(name, depends_on=(names[i + 1],) if i + 1 < length else ())
        for i, name in enumerate(names)
    ]


def test_a_chain_deeper_than_the_stack_is_cut_not_crashed() -> None:
    import sys

    tags = _chain(3 * sys.getrecursionlimit())
    for reverse, start in ((False, tags[0].name), (True, tags[-1].name)):
        tree = dependency_tree(tags, start, reverse=reverse)
        lines = text_tree(tree)
        assert len(lines) == MAX_DEPTH + 1, "one line per level, down to the cut"
        assert lines[-1].endswith("…"), lines[-1]
        assert mermaid(tree) and dot(tree)


def test_an_explicit_depth_beyond_the_cut_is_cut_too() -> None:
    tags = _chain(MAX_DEPTH + 50)
    assert len(text_tree(dependency_tree(tags, tags[0].name, depth=10**6))) == MAX_DEPTH + 1
