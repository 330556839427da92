"""Hostile text in a catalog reaches terminals, CI logs and spreadsheets harmlessly.

A tag file comes from whoever opens a pull request. Its text must not be able
to erase or forge lines of a log (escape sequences, carriage returns), reorder
what is shown (bidirectional overrides), be read as rich markup (a link, or a
stray closing tag that crashed `tagctl list`), run as a spreadsheet formula,
or break out of a Markdown code span of a pull-request comment.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from clihelpers import describe, no_traceback

from tagctl.explore.deps import DepTree, Node
from tagctl.formats.deps import mermaid
from tagctl.textsafe import cell, printable, spreadsheet_cell

Run = Callable[..., subprocess.CompletedProcess[str]]

ESC = "\x1b"
HOSTILE_NAME = "vist_\x1b[2K\rNo problems\u202e_30d"
CONTROL = (ESC, "\r", "\u202e", "\x07", "\x9b")


def test_printable_shows_controls_as_escapes() -> None:
    assert printable("a\x1b[31mb") == "a\\x1b[31mb"
    assert printable("a\rb\nc\td") == "a\\rb\\nc\\td"
    assert printable("a\u202eb\u2066c\x9bd\x7f") == "a\\u202eb\\u2066c\\x9bd\\x7f"
    assert printable("中文 · ok [x]") == "中文 · ok [x]"  # nothing to escape: the same text


def test_printable_keeps_line_breaks_of_multiline_text() -> None:
    assert printable("one\n\ttwo\x1b", lines=True) == "one\n\ttwo\\x1b"


def test_rich_cells_are_never_markup() -> None:
    from rich.console import Console

    buffer = io.StringIO()
    Console(file=buffer, width=200).print(cell("[/bold][link=https://x.example]y[/link]\x1b"))
    assert buffer.getvalue().strip() == "[/bold][link=https://x.example]y[/link]\\x1b"


@pytest.mark.parametrize("text", ["=1+1", "+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"])
def test_formulas_become_text(text: str) -> None:
    assert spreadsheet_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["visit_product_30d", "近30天", "a=b", ""])
def test_plain_cells_are_unchanged(text: str) -> None:
    assert spreadsheet_cell(text) == text


def test_mermaid_keeps_tags_with_similar_names_apart() -> None:
    nodes = [Node(name, "unknown") for name in ("a-b", "a_b", "a.b")]
    root = Node("root", "unknown", children=tuple(nodes))
    lines = mermaid(DepTree(root, reverse=False, depth=None))
    ids = {line.split("[")[0].strip() for line in lines if '["' in line}
    assert len(ids) == 4, lines


def test_mermaid_labels_are_not_markup() -> None:
    root = Node('<img src=x onerror=alert(1)>"', "unknown")
    text = "\n".join(mermaid(DepTree(root, reverse=False, depth=None)))
    assert "<img" not in text and '"]' in text and "#lt;img" in text


# --- end to end


def _hostile(catalog: Path) -> Path:
    """The sample catalog with one tag whose name and display names attack the output."""
    path = catalog / "tags" / "behavior" / "add_cart_product_7d.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("name: add_cart_product_7d", f"name: {json.dumps(HOSTILE_NAME)}", 1)
    text = text.replace("  zh: 近7天加购", '  zh: "=HYPERLINK(\\"x\\")"', 1)
    text = text.replace(
        "  en: Added to cart in the last 7 days",
        '  en: "[/bold][link=https://evil.example]click[/link] \\e[8mhidden"',
        1,
    )
    path.write_text(text, encoding="utf-8")
    return path


def _clean(result: subprocess.CompletedProcess[str]) -> None:
    no_traceback(result)
    for stream in (result.stdout, result.stderr):
        for char in CONTROL:
            assert char not in stream, f"{char!r} reached the output" + describe(result)


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_lint_output_has_no_control_characters(
    run_tagctl: Run, sample_catalog: Path, fmt: str
) -> None:
    _hostile(sample_catalog)
    result = run_tagctl("lint", "--format", fmt, cwd=sample_catalog)
    assert result.returncode == 1, describe(result)
    _clean(result)
    assert "\\x1b[2K\\rNo problems\\u202e" in result.stdout


def test_lint_json_keeps_the_exact_text(run_tagctl: Run, sample_catalog: Path) -> None:
    _hostile(sample_catalog)
    result = run_tagctl("lint", "--format", "json", cwd=sample_catalog)
    messages = [v["message"] for v in json.loads(result.stdout)["violations"]]
    assert any(HOSTILE_NAME in message for message in messages)  # JSON escapes it itself


def test_list_and_show_print_markup_literally(run_tagctl: Run, sample_catalog: Path) -> None:
    _hostile(sample_catalog)
    listed = run_tagctl("list", cwd=sample_catalog, env={"COLUMNS": "250"})
    assert listed.returncode == 0, describe(listed)
    _clean(listed)
    assert "[link=https://evil.example]click[/link]" in listed.stdout
    assert "[/bold]" in listed.stdout
    shown = run_tagctl("show", HOSTILE_NAME, cwd=sample_catalog)
    _clean(shown)
    assert "\\x1b[8mhidden" in shown.stdout, describe(shown)


def test_unknown_tag_error_has_no_control_characters(run_tagctl: Run, sample_catalog: Path) -> None:
    result = run_tagctl("show", "nope\x1b[2K\r", cwd=sample_catalog)
    assert result.returncode == 2, describe(result)
    _clean(result)


@pytest.mark.parametrize("command", [("list", "-f", "csv"), ("export", "-f", "csv")])
def test_csv_cells_never_start_a_formula(
    run_tagctl: Run, sample_catalog: Path, command: tuple[str, ...]
) -> None:
    _hostile(sample_catalog)
    result = run_tagctl(*command, cwd=sample_catalog)
    assert result.returncode == 0, describe(result)
    rows = list(csv.reader(io.StringIO(result.stdout)))
    cells = [text for row in rows for text in row]
    assert '\'=HYPERLINK("x")' in cells  # shown as text by a spreadsheet
    assert not any(text.startswith(("=", "+", "@")) for text in cells)
