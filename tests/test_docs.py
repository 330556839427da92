"""The documentation cannot drift from the code: generated sections, the nav, the README's links.

The site under docs/ is built by MkDocs; `make check` builds it with
`--strict`, which fails on a broken link or heading anchor and on a page left
out of the nav. That build needs the optional `docs` extra, so it is not a
test: these tests need nothing but tagctl, and check what the build cannot
(a generated section that is out of date, the README's links, which lie
outside docs/) or what should fail before anyone builds the site (the nav).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tagctl.catalog.schema import load_schema
from tagctl.catalog.schemakeys import keys
from tagctl.lint import docs as rule_docs
from tagctl.rules import registry
from tagctl.scaffold import docs as template_docs
from tagctl.scaffold import schemadocs

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
README = ROOT / "README.md"

# (page, start marker, end marker, what `make docs` writes between them, its module)
SECTIONS: list[tuple[str, str, str, Callable[[], str], str]] = [
    ("docs/rules.md", rule_docs.START, rule_docs.END, rule_docs.rules_markdown, "tagctl.lint.docs"),
    (
        "docs/init.md",
        template_docs.START,
        template_docs.END,
        template_docs.templates_markdown,
        "tagctl.scaffold.docs",
    ),
    (
        "docs/configuration.md",
        schemadocs.CONFIG_START,
        schemadocs.CONFIG_END,
        schemadocs.config_markdown,
        "tagctl.scaffold.schemadocs",
    ),
    (
        "docs/formats.md",
        schemadocs.KPI_START,
        schemadocs.KPI_END,
        schemadocs.kpi_document_markdown,
        "tagctl.scaffold.schemadocs",
    ),
]


def _pages() -> list[str]:
    return sorted(path.name for path in DOCS.glob("*.md"))


@pytest.mark.parametrize("page, start, end, body, module", SECTIONS, ids=[s[0] for s in SECTIONS])
def test_generated_section_is_current(
    page: str, start: str, end: str, body: Callable[[], str], module: str
) -> None:
    text = (ROOT / page).read_text(encoding="utf-8")
    assert text.count(start) == 1 and text.count(end) == 1, f"{page} lacks its markers"
    inside = text.partition(start)[2].partition(end)[0]
    assert inside == "\n" + body(), f"run `make docs` to regenerate {page}"


def test_every_generated_section_is_known_and_made_by_make_docs() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.partition("\ndocs: ")[2].partition("\n\n")[0]
    for page, _, _, _, module in SECTIONS:
        assert re.search(rf"-m {re.escape(module)} .*{re.escape(page)}", recipe), (page, module)
    known = {start for _, start, _, _, _ in SECTIONS}
    for path in [README, *DOCS.glob("*.md")]:
        for marker in re.findall(r"<!-- [\w-]+:start.*?-->", path.read_text(encoding="utf-8")):
            assert marker in known, f"{path.name}: no generator writes {marker}"


def test_rule_reference_lists_every_rule_once_with_its_documentation() -> None:
    text = rule_docs.rules_markdown()
    for code, rule in registry().items():
        assert text.count(f"| [{code}](#{code.lower()}-{rule.name}) |") == 1
        assert text.count(f"\n### {code} {rule.name}\n") == 1


class _Loader(yaml.SafeLoader):
    """mkdocs.yml, with its `!!python/name:` tags read as nothing."""


_Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda *_: None)


def _nav_pages(entry: Any) -> Iterator[str]:
    if isinstance(entry, str):
        yield entry
    elif isinstance(entry, dict):
        for value in entry.values():
            yield from _nav_pages(value)
    elif isinstance(entry, list):
        for item in entry:
            yield from _nav_pages(item)


def test_the_nav_names_every_page_once_and_only_pages_that_exist() -> None:
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)
    nav = list(_nav_pages(config["nav"]))
    assert len(nav) == len(set(nav)), "a page is in the nav twice"
    assert sorted(nav) == _pages(), "mkdocs.yml's nav and the pages of docs/ differ"


def test_readme_links_to_every_page() -> None:
    text = README.read_text(encoding="utf-8")
    missing = [page for page in _pages() if f"](docs/{page})" not in text]
    assert not missing, f"README.md has no link to {missing}"


def test_readme_links_lead_to_files_that_exist() -> None:
    text = README.read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", text):
        if "://" not in target:
            assert (ROOT / target).exists(), f"README.md links to a missing {target}"


def test_readme_is_the_front_page_with_the_two_commands() -> None:
    text = README.read_text(encoding="utf-8")
    assert "## Two commands on a fresh machine" in text
    assert "make demo" in text and "make test" in text
    assert len(text.splitlines()) < 200, "the reference belongs in docs/"


def test_every_configuration_key_has_a_description() -> None:
    reference = schemadocs.config_markdown()
    undescribed = [line for line in reference.splitlines() if line.endswith("|  |")]
    assert not undescribed, "describe these keys in the schema (or a note in schemadocs.py)"


def test_notes_and_defaults_name_keys_of_the_schema() -> None:
    known = {key.path for key in keys(load_schema("config"), schemadocs.PLACEHOLDERS)}
    for table in (schemadocs.NOTES, schemadocs.TEXT_DEFAULTS, schemadocs.CODE_DEFAULTS):
        assert set(table) <= known, set(table) - known


def test_schema_sections_need_their_markers(tmp_path: Path) -> None:
    config, formats = tmp_path / "configuration.md", tmp_path / "formats.md"
    config.write_text(f"# c\n\n{schemadocs.CONFIG_START}\nold\n{schemadocs.CONFIG_END}\n", "utf-8")
    formats.write_text("# no markers\n", encoding="utf-8")
    assert schemadocs.main([str(config), str(formats)]) == 2
    once = config.read_text(encoding="utf-8")
    assert schemadocs.updated_config(once) == once
