"""A headline as the text of a chat message, in the markup each service reads.

Every service gets the same lines: the title, the run's level with the
count of tags at each level, the worst tags with their alerts, and the
report. `Style` holds what differs: how to make text bold, a link, a list
item, and what must be escaped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from tagctl.notify.headline import Headline, WorstTag
from tagctl.notify.words import Words


def _same(text: str) -> str:
    return text


@dataclass(frozen=True)
class Style:
    """How a service marks text up; the defaults are the Markdown of WeCom, DingTalk, Feishu."""

    bold: Callable[[str], str] = lambda text: f"**{text}**"
    link: Callable[[str], str] = lambda url: f"[{url}]({url})"
    bullet: str = "- "
    escape: Callable[[str], str] = _same
    level: Callable[[str, str | None], str] = lambda word, level: word  # a level's word


MARKDOWN = Style()


def title(headline: Headline) -> str:
    """The message's title: the catalog and the run's date."""
    say = Words(headline.lang)
    return say("title", catalog=headline.catalog, date=headline.as_of[:10])


def summary(headline: Headline, style: Style = MARKDOWN) -> str:
    """The run's level and the count of tags at each level."""
    say = Words(headline.lang)
    level = style.bold(style.level(say.heading(headline.level), headline.level))
    if headline.level is None:
        return level + say("colon") + say("clear", measured=headline.measured)
    counts = say("summary", measured=headline.measured, **headline.counts)
    return level + say("colon") + counts


def markdown(headline: Headline, style: Style = MARKDOWN, with_title: bool = True) -> str:
    """The whole message, paragraphs apart; the title first unless the service shows it."""
    say = Words(headline.lang)
    paragraphs = [style.bold(style.escape(title(headline)))] if with_title else []
    paragraphs.append(summary(headline, style))
    if headline.worst:
        items = [_worst_line(tag, say, style) for tag in headline.worst]
        if headline.more:
            items.append(style.bullet + say("more", n=headline.more))
        paragraphs.append("\n".join([style.bold(say("worst")) + say("colon").rstrip(), *items]))
    where = _report(headline, style)
    if where:
        paragraphs.append(style.bold(say("report")) + say("colon") + where)
    return "\n\n".join(paragraphs)


def _worst_line(tag: WorstTag, say: Words, style: Style) -> str:
    reasons = say("comma").join(dict.fromkeys(say.alert(alert.code) for alert in tag.alerts))
    level = say("aside", text=style.level(say.level(tag.level), tag.level))
    return f"{style.bullet}{style.bold(tag.name)}{level}{say('colon')}{style.escape(reasons)}"


def _report(headline: Headline, style: Style) -> str | None:
    if headline.report_url is not None:
        return style.link(headline.report_url)
    if headline.report_path is not None:
        return style.escape(headline.report_path)
    return None


def fit_chars(text: str, limit: int) -> str:
    """`text` cut to `limit` characters, ending in … when cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def fit_bytes(text: str, limit: int) -> str:
    """`text` cut to `limit` bytes of UTF-8, ending in … when cut."""
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    return data[: limit - 3].decode("utf-8", errors="ignore") + "…"
