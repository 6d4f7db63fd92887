"""What residents read around the policy passages, per locale."""
from __future__ import annotations

from types import MappingProxyType

TEXTS = MappingProxyType(
    {
        "zh": MappingProxyType(
            {
                "intro": "",
                "quoted_from": "——摘自《{title}》（{region}，{effective_date}起）",
                "figures": "文中数字依据：",
                "figure": "· {label}：{citation}",
                "closing": "以上是政策要点，是否符合条件以镇街审核为准。",
                "sources": "来源：",
                "source": "[{number}]《{title}》（{source}，{effective_date}起）",
                "not_sure": (
                    "抱歉，这个问题我没有把握回答，政策资料里没有找到可靠的依据。"
                    "我已经记下这个问题，会请工作人员补充资料。"
                    "如果需要，可以请社工直接为您解答。"
                ),
                "empty": "请告诉我您想了解的政策问题，例如：“孩子的学费算不算刚性支出？”",
            }
        ),
        "en": MappingProxyType(
            {
                "intro": "Here is what our policy notes say (quoted in Chinese):",
                "quoted_from": "— from 《{title}》 ({region}, effective {effective_date})",
                "figures": "Figures in the text come from:",
                "figure": "· {label}: {citation}",
                "closing": "This is general guidance; the sub-district office decides on each application.",
                "sources": "Sources:",
                "source": "[{number}] 《{title}》 ({source}, effective {effective_date})",
                "not_sure": (
                    "Sorry, I am not sure about this one: our policy notes do not give a reliable answer. "
                    "I have noted the question so that the team can add it. "
                    "If you like, a caseworker can answer you directly."
                ),
                "empty": "Please tell me what you would like to know, e.g. \"Does my child's tuition count?\"",
            }
        ),
    }
)


def text(locale: str, key: str, **values: object) -> str:
    """One text in a locale (English for `en*`, Chinese otherwise), filled in."""
    return TEXTS[locale_of(locale)][key].format(**values)


def locale_of(locale: str | None) -> str:
    """The corpus locale a requested locale maps to."""
    return "en" if (locale or "").lower().startswith("en") else "zh"
