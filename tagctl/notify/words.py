"""The words of a chat message in Chinese and English; levels and alerts as the report says them."""

from __future__ import annotations

from dataclasses import dataclass

from tagctl.report.i18n import Language

# key: (English, Chinese)
WORDS: dict[str, tuple[str, str]] = {
    "title": ("{catalog}: tag KPIs of {date}", "{catalog}：{date} 标签 KPI"),
    "summary": (
        "{alert} tags with alerts, {warning} with warnings, of {measured} measured",
        "告警标签 {alert} 个，提醒标签 {warning} 个，共统计 {measured} 个",
    ),
    "clear": (
        "no alerts or warnings among {measured} tags measured",
        "共统计 {measured} 个标签，无告警、无提醒",
    ),
    "clear_level": ("OK", "正常"),
    "worst": ("Worst tags", "问题最严重的标签"),
    "more": ("and {n} more", "另有 {n} 个"),
    "report": ("Report", "报告"),
    "colon": (": ", "："),
    "comma": (", ", "、"),
    "aside": (" ({text})", "（{text}）"),
}


@dataclass(frozen=True)
class Words:
    """The message's words in `lang` (zh or en)."""

    lang: str

    def __call__(self, key: str, **values: object) -> str:
        english, chinese = WORDS[key]
        text = chinese if self.lang == "zh" else english
        return text.format(**values) if values else text

    def level(self, level: str) -> str:
        """A tag's level in words: `alert`, 告警."""
        return Language(self.lang).level(level)

    def heading(self, level: str | None) -> str:
        """The run's level as a heading: `Alert`, 告警; `OK` (正常) when there is none."""
        if level is None:
            return self("clear_level")
        word = self.level(level)
        return word[:1].upper() + word[1:]

    def alert(self, code: str) -> str:
        """An alert code in words: `stale` is 更新不及时 in Chinese."""
        return Language(self.lang).alert(code)
