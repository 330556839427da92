"""The packaged templates, the conflict check, and the generated template table of docs/init.md."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tagctl.errors import UsageError
from tagctl.scaffold.docs import END, START, main, templates_markdown, updated
from tagctl.scaffold.init import find_template, first_conflict
from tagctl.scaffold.templates import SHARED, TEMPLATES_DIR, Template, templates

PAGE = Path(__file__).resolve().parent.parent / "docs" / "init.md"


def test_index_lists_exactly_the_template_folders() -> None:
    folders = {p.name for p in TEMPLATES_DIR.iterdir() if p.is_dir() and p.name != SHARED}
    assert set(templates()) == folders
    assert next(iter(templates())) == "minimal"


@pytest.mark.parametrize("name", list(templates()))
def test_each_template_is_a_catalog(name: str) -> None:
    template = templates()[name]
    paths = {str(path) for path, _ in template.files()}
    assert {"tagctl.yaml", "README.md", ".gitignore", ".pre-commit-config.yaml"} <= paths
    categories = template.categories()
    for path in template.tag_files():
        assert path.parts[1] in categories, path
    assert not any(".tagctl" in path.parts for path, _ in template.files())


def test_template_readmes_count_their_tags() -> None:
    for name, template in templates().items():
        text = (template.root / "README.md").read_text(encoding="utf-8")
        assert f"`{name}` template with {len(template.tag_files())} tags" in text


def test_unknown_template_names_them_all() -> None:
    with pytest.raises(UsageError) as caught:
        find_template("nope")
    assert all(name in str(caught.value) for name in templates())


def test_conflict_is_an_existing_file_or_a_file_in_the_way(tmp_path: Path) -> None:
    targets = [tmp_path / "a.txt", tmp_path / "tags" / "x" / "b.yaml"]
    assert first_conflict(tmp_path, targets) is None
    (tmp_path / "tags").write_text("", encoding="utf-8")
    assert first_conflict(tmp_path, targets) == tmp_path / "tags"
    (tmp_path / "a.txt").write_text("", encoding="utf-8")
    assert first_conflict(tmp_path, targets) == tmp_path / "a.txt"
    assert first_conflict(tmp_path / "a.txt" / "sub", []) == tmp_path / "a.txt"


def test_template_table_has_one_row_per_template() -> None:
    table = templates_markdown()
    for name, template in templates().items():
        (row,) = [line for line in table.splitlines() if line.startswith(f"| `{name}` |")]
        assert f"| {len(template.tag_files())} |" in row
        assert all(f"`{key}`" in row for key in template.categories())


def test_updating_twice_changes_nothing_the_second_time(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(f"# x\n\n{START}\nold\n{END}\n\nafter\n", encoding="utf-8")
    assert main([str(readme)]) == 0
    once = readme.read_text(encoding="utf-8")
    assert templates_markdown() in once and once.endswith(f"{END}\n\nafter\n")
    assert updated(once) == once


def test_missing_markers_are_an_error(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("# no markers\n", encoding="utf-8")
    assert main([str(readme)]) == 2


def test_docs_template_table_is_current() -> None:
    text = PAGE.read_text(encoding="utf-8")
    assert START in text and END in text, "docs/init.md lacks the template table markers"
    assert updated(text) == text, "run `make docs` to regenerate the template table"


def test_index_is_plain_yaml() -> None:
    index = yaml.safe_load((TEMPLATES_DIR / "index.yaml").read_text(encoding="utf-8"))
    for entry in index.values():
        assert set(entry) == {"industry", "zh"}


def test_local_state_inside_a_template_is_not_copied(tmp_path: Path) -> None:
    (tmp_path / ".tagctl" / "cache").mkdir(parents=True)
    (tmp_path / ".tagctl" / "cache" / "lint.json").write_text("{}", encoding="utf-8")
    (tmp_path / "tagctl.yaml").write_text("categories: {a: {zh: 甲, en: A}}\n", encoding="utf-8")
    template = Template("t", "Test", "测试", tmp_path)
    copied = {str(path) for path, _ in template.files()}
    assert "tagctl.yaml" in copied and not any(".tagctl/" in path for path in copied)
