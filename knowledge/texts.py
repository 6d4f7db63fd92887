"""What residents read around the policy passages, per locale."""
from __future__ import annotations

from types import MappingProxyType

from dialogs.catalogue import Catalogue

TEXTS = MappingProxyType(
    {
        "zh": MappingProxyType(
            {
                "intro": "",
                "quoted_from": "——来源：《{title}》（{region}；依据{source}；{effective_date}起）",
                "figures": "文中数字及起始日期：",
                "figure": "· {label}：{value}，{effective_date}起施行（{source}，{region}）{note}",
                "unverified": "此数字尚待工作人员核实，请以镇街答复为准",
                "stale": "以上数字出自{sources}（有效期至{until}）；还没有查到更新的通知，现行标准请以民政部门确认为准。",
                "next_step": "下一步：{step}",
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
                "intro": "",
                "quoted_from": "— Source: \"{title}\" ({region}; based on {source}; from {effective_date})",
                "figures": "Figures and the dates they apply from:",
                "figure": "· {label}: {value}, in force from {effective_date} ({source}, {region}){note}",
                "unverified": "this figure is still being checked by staff; the sub-district office has the final word",
                "stale": "These figures come from {sources} (valid to {until}); no newer notice has been found, so the civil affairs office confirms the current standard.",
                "next_step": "What to do next: {step}",
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


# units of the parameter file as English answers write them
UNITS_EN = MappingProxyType(
    {
        "元/人/月": " yuan per person per month",
        "元/人/年": " yuan per person per year",
        "元/年": " yuan a year",
        "元/日": " yuan a day",
        "元": " yuan",
        "个工作日": " working days",
        "个月": " months",
        "天": " days",
        "日": " days",
        "套": " home(s)",
        "倍低保标准": " times the dibao standard",
        "个月低保标准": " months of the dibao standard",
        "个月低保标准（人均）": " months of the dibao standard per person",
    }
)


text = Catalogue(TEXTS)  # text(locale, key, **values)


def locale_of(locale: str | None) -> str:
    """The corpus locale a requested locale maps to (English for "en-GB", Chinese for anything unknown)."""
    return text.locale(locale)
