"""Render a `Report` into one self-contained HTML page.

jinja2 with autoescaping: every string from the catalog or the warehouse is
escaped; only the charts (built by `charts.py`, which escapes its own
text), the stylesheet and the script are trusted markup. The page's
Content-Security-Policy forbids every network request and allows exactly
the one inline script by its hash, so even a string that escaped escaping
could not run.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, Template, select_autoescape
from markupsafe import Markup, escape

from tagctl.report.model import Fact, Report

TEMPLATES = Path(__file__).parent / "templates"


def render_report(report: Report) -> str:
    script = _asset("report.js")
    return _template().render(
        r=report,
        css=Markup(_asset("report.css")),
        script=Markup(script),
        script_hash=script_hash(script),
    )


def script_hash(script: str) -> str:
    """The CSP source that allows exactly this inline script."""
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


def facts(items: Iterable[Fact], separator: str) -> Markup:
    """`<b>label</b> value` for each fact, links to tags, joined by `separator`.

    A filter rather than template loops, and plain escaping rather than
    `Markup.format`: a report has 10,000 tag entries, and these lines are
    most of each.
    """
    return Markup(separator.join(_fact(fact) for fact in items))


def _fact(fact: Fact) -> str:
    links = ", ".join(f'<a href="#tag-{name}">{name}</a>' for name in map(escape, fact.links))
    return f"<b>{escape(fact.label)}</b> {escape(fact.value)}{links}"


@lru_cache(maxsize=1)
def _template() -> Template:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        keep_trailing_newline=True,
    )
    env.filters["facts"] = facts
    return env.get_template("report.html.j2")


@lru_cache(maxsize=4)
def _asset(name: str) -> str:
    return (TEMPLATES / name).read_text(encoding="utf-8")
