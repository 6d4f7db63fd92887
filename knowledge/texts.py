"""What residents read around the policy passages, per locale."""
from __future__ import annotations

from types import MappingProxyType

from dialogs.catalogue import Catalogue

TEXTS = MappingProxyType(
    {
        "zh": MappingProxyType(
            {
                "figures": "文中数字及起始日期：",
                "figure": "· {label}：{value}，{effective_date}起施行（{source}，{region}）{note}",
                "unverified": "此数字尚待工作人员核实，请以镇街答复为准",
                "stale": "以上数字出自{sources}（有效期至{until}）；还没有查到更新的通知，现行标准请以民政部门确认为准。",
                "next_step": "下一步：{step}",
                "sources_line": "来源：{sources}",
                "source_document": "《{title}》（{effective_date}起）",
                "source_figure": "数字依据：{source}（{effective_date}起施行）",
                "source_separator": "；",
                "date_separator": "、",
                "unverified_note": "（数字尚待工作人员核实，以镇街答复为准）",
                "sources": "来源：",
                "source": "[{number}]《{title}》（{source}，{effective_date}起）",
                "not_sure": "抱歉，这个问题我没有把握回答（已记下，会请工作人员补充资料），可以请社工直接为您解答，与救助无关的事可以拨打12345政务服务热线。",
                "elsewhere": "善桥只解答广州市的救助政策，{place}的规定和标准请向{place}当地的民政局或街道（镇）社会救助窗口咨询，也可以拨打当地12345热线。",
                "empty": "请告诉我您想了解的政策问题，例如：“孩子的学费算不算刚性支出？”",
            }
        ),
        "en": MappingProxyType(
            {
                "figures": "Figures and the dates they apply from:",
                "figure": "· {label}: {value}, in force from {effective_date} ({source}, {region}){note}",
                "unverified": "this figure is still being checked by staff; the sub-district office has the final word",
                "stale": "These figures come from {sources} (valid to {until}); no newer notice has been found, so the civil affairs office confirms the current standard.",
                "next_step": "What to do next: {step}",
                "sources_line": "Sources: {sources}",
                "source_document": "\"{title}\" (from {effective_date})",
                "source_figure": "figures from {source}, in force from {effective_date}",
                "source_separator": "; ",
                "date_separator": ", ",
                "unverified_note": " (figures still being checked by staff; the sub-district office has the final word)",
                "sources": "Sources:",
                "source": "[{number}] 《{title}》 ({source}, effective {effective_date})",
                "not_sure": (
                    "Sorry, I am not sure about this one (I have noted it for the team): a caseworker can answer you "
                    "directly, and for anything other than assistance you can call the 12345 government hotline."
                ),
                "elsewhere": (
                    "Shanqiao covers Guangzhou's assistance rules only; for {place}, please ask the civil affairs "
                    "bureau or the sub-district office there, or call that city's 12345 hotline."
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
