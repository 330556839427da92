"""Positions from libyaml's marks are those of ruamel.yaml's round-trip nodes.

`tagctl.catalog.positions` maps a problem's JSON path to a line and column
from libyaml's node marks; the edits of `tagctl.edit` work on ruamel.yaml's
round-trip tree. Both must point at the same place, so every path of every
tag file in the repository (and of texts written to be awkward) is located
both ways here, the ruamel way re-implemented from its `.lc` marks.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from tagctl.catalog.positions import locate_all, yaml_spelling
from tagctl.catalog.reader import parse_into
from tagctl.catalog.source import JsonPath, Source

ROOT = Path(__file__).resolve().parents[1]


def _ruamel_tree(text: str) -> Any:
    from ruamel.yaml.constructor import RoundTripConstructor

    class Constructor(RoundTripConstructor):  # dates as text, `<<` an ordinary key
        def flatten_mapping(self, node: Any) -> None:
            return None

    for tag in ("timestamp", "merge"):
        Constructor.add_constructor(f"tag:yaml.org,2002:{tag}", Constructor.construct_yaml_str)
    yaml = YAML(typ="rt")
    yaml.Constructor = Constructor
    yaml.allow_duplicate_keys = True
    return yaml.load(text)


def _ruamel_position(tree: Any, path: JsonPath, at_key: bool) -> tuple[int, int]:
    """Where ruamel's marks put `path`: stop at the deepest node that exists."""
    if not hasattr(tree, "lc"):
        return (1, 1)
    node, best = tree, (tree.lc.line + 1, tree.lc.col + 1)
    for depth, step in enumerate(path):
        if isinstance(step, int):
            if not isinstance(node, list) or step >= len(node):
                return best
            line, column = node.lc.item(step)
            best, node = (line + 1, column + 1), node[step]
            continue
        if not isinstance(node, dict):
            return best
        spelled = [k for k in node if yaml_spelling(k) == step]
        if step not in node and not spelled:
            return best
        key = step if step in node else spelled[0]
        line, column = node.lc.key(key)
        if at_key and depth == len(path) - 1:
            best = (line + 1, column + 1)
        elif node[key] is None:
            best = (line + 1, column + len(yaml_spelling(key)) + 2)
        else:
            line, column = node.lc.value(key)
            best = (line + 1, column + 1)
        node = node[key]
        if node is None:
            return best
    return best


def _paths(data: Any, prefix: JsonPath = ()) -> Iterator[JsonPath]:
    yield prefix
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _paths(value, (*prefix, yaml_spelling(key)))
        yield (*prefix, "no_such_key")
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _paths(value, (*prefix, index))
        yield (*prefix, len(data))


def _agree(text: str) -> int:
    tree = _ruamel_tree(text)
    requests = [(path, at_key) for path in set(_paths(tree)) for at_key in (False, True)]
    found = locate_all(text, requests)
    for request in requests:
        assert found[request] == _ruamel_position(tree, *request), request
    return len(requests)


def _repository_tag_files() -> list[str]:
    folders = [ROOT / "tag-catalog", ROOT / "tests" / "data", ROOT / "tagctl" / "scaffold"]
    files = [path for folder in folders for path in sorted(folder.rglob("*.y*ml"))]
    readable = []
    for path in files:
        source = Source(path, raw=path.read_bytes())
        parse_into(source)
        if not source.ok:
            continue  # a malformed file: its problems carry the parser's position
        text = source.text
        awkward = ("!", "9999999999", "*")  # tags, numbers beyond a double, aliases (bombs)
        if not any(word in text for word in awkward):
            readable.append(text)
    return readable


def test_every_path_of_every_repository_tag_file() -> None:
    texts = _repository_tag_files()
    assert len(texts) > 50
    assert sum(_agree(text) for text in texts) > 5000


AWKWARD = {
    "flow": "name: x\nsource: {system: cdp, tables: [a, b]}\nlist: [1, {k: v}]\n",
    "empty values": "name:\nowners:\n  data:\n  business: ~\nnull_word: null\n",
    "quoted keys": '\'name\': x\n"owners": {"data": y}\n',
    "typed keys": "1: one\ntrue: yes\n2.5: x\nnull: z\n010: ten\n",
    "wide characters": "display_name:\n  zh: 近30天访问商品的用户\n  en: 访问 users\ntier: 核心\n",
    "block scalars": "logic: |\n  SELECT 1\n  FROM t\ndesc: >-\n  folded\n  text\nafter: 1\n",
    "anchors": "base: &b {a: 1}\ncopy: *b\nitem: &i value\nref: *i\n",
    "comments": "# head\nname: x  # trailing\n# between\nversion: 1.0.0\n",
    "sequences": "depends_on:\n  - a\n  -\n  - - nested\n    - list\n  - {k: v}\n",
    "duplicates": "name: a\nname: b\nowners: {data: x, data: y}\n",
    "indented": "owners:\n    data: x\n    business:\n        - y\n",
    "document marker": "---\nname: x\nversion: 1.0.0\n...\n",
}


@pytest.mark.parametrize("text", AWKWARD.values(), ids=AWKWARD.keys())
def test_awkward_texts(text: str) -> None:
    assert _agree(text) > 0


def test_unreadable_text_points_at_the_top() -> None:
    requests = [(("name",), False), (("owners", "data"), True)]
    assert set(locate_all("name: [unclosed\n", requests).values()) == {(1, 1)}
    assert locate_all("", requests)[(("name",), False)] == (1, 1)
    assert locate_all("just text\n", requests)[(("name",), False)] == (1, 1)
