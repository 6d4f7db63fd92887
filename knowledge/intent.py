"""What kind of answer a question wants: a whole list, a figure, a yes-or-no condition, or an explanation."""
from __future__ import annotations

import enum
import re


class Intent(enum.Enum):
    """The shape of answer a question asks for."""

    # "what do I need / which ones": every item of the list
    LIST = "list"
    # "how much / how long": the figure and the date it applies from
    AMOUNT = "amount"
    # "can I": the condition that decides it and what to do next
    CAN = "can"
    # anything else: the passage that explains it
    EXPLAIN = "explain"


# matched against normalised text (simplified, Cantonese rewritten to Mandarin, lower case)
_AMOUNT = re.compile(
    r"多少|多久|多长|几天|几个月|几个工作日|几年|几多|什么时候|标准是|期限|限额|上限|几倍|比例"
    r"|how (much|long|many)|what is the (minimum|maximum|most|income line|standard|limit)|deadline|time limit"
    r"|\blimit\b|threshold|income line"
)
_LIST = re.compile(
    r"哪些|哪几|哪种|(什么|啥)\w{0,3}(材料|证件|证明|东西|资料|文件|手续)|(带|交|准备|要)些?(什么|啥)"
    r"|(什么|哪些|啥)\w{0,3}(收入|钱|费用|支出)\w{0,4}(算|计入)|材料清单|清单|列一下|包括什么|包括哪|有什么(资助|帮助|待遇|好处)|有哪|几种|几类|什么项目|什么办法|怎么办才"
    r"|\bwhich\b|what (documents|materials|papers|paperwork|kinds|costs|expenses|income|counts|is counted)"
    r"|checklist|\blist\b|what are the steps"
)
_CAN = re.compile(
    r"能不能|可不可以|可以不可以|行不行|算不算|会不会|是不是|有没有影响|能否|可否|可以.{0,12}吗|能.{0,12}吗|算.{0,6}吗"
    r"|^(can|could|may|does|do|is|are|am) |\b(can|could) (i|we|my|a|an|the)\b|\bcount\b|\bdisqualif|\beligible\b"
)


def intent_of(normalised: str) -> Intent:
    """The answer shape for a question; a figure question wins over a list, a list over a yes-or-no."""
    if _AMOUNT.search(normalised):
        return Intent.AMOUNT
    if _LIST.search(normalised):
        return Intent.LIST
    if _CAN.search(normalised):
        return Intent.CAN
    return Intent.EXPLAIN
