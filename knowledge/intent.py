"""What kind of answer a question wants: a whole list, a figure, a yes-or-no condition, an explanation, or none
(a choice that is the resident's own: which fund to buy, which job to take)."""
from __future__ import annotations

import enum
import re


class Intent(enum.Enum):
    """The shape of answer a question asks for."""

    # "what do I need / which ones": every item of the list
    LIST = "list"
    # "how much / how long": the figure and the date it applies from
    AMOUNT = "amount"
    # "what is / what's the difference": the passage that defines it
    DEFINE = "define"
    # "can I": the condition that decides it and what to do next
    CAN = "can"
    # anything else: the passage that explains it
    EXPLAIN = "explain"
    # "which fund should I buy": advice on the resident's own money or work, which no policy gives
    ADVICE = "advice"


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

_DEFINE = re.compile(
    r"是什么|什么是|什么叫|啥是|是啥|指什么|什么意思|啥意思|意思是|区别|不一样|不同|分别|差别|差异|一回事|怎么区分"
    r"|^what('s| is| are| does)\b|\bmeaning\b|\bmean\b|\bdifferen"
)
# a question that tells two things apart: each one's definition answers it
TELLS_APART = re.compile(r"区别|不一样|不同|分别|差别|差异|一回事|区分|\bdifferen|\bcompare|\bversus\b|\bvs\b")
# a heading that defines or tells apart (什么是低保边缘家庭, 低保和支出型困难家庭的区别)
DEFINING_HEADING = re.compile(r"是什么|什么是|什么人算|意思|区别|关系|^what (is|are)\b|^who (counts|is|are)\b|differen|\bmean",
                              re.IGNORECASE)

# a recommendation, or buying, selling or timing an investment, or changing jobs ...
_ADVICE = re.compile(
    r"推荐|选哪|拣哪|挑哪|买哪|哪只|值不值得买|值得买|划算|炒股|跳槽|换工作|换个工作|换份工作|找什么工作"
    r"|(股票|基金|理财|黄金|股市|比特币|彩票)\w{0,6}(买|卖|涨|跌|投资?|收益)|(买|卖|投资?)\w{0,3}(股票|基金|理财|黄金|比特币)"
    r"|\brecommend|\bwhich (fund|stock|share|job|phone)|\bshould i (buy|sell|invest)|\binvest|stock market"
    r"|change (my )?jobs?"
)
# ... is advice unless the question also speaks of help, an application or what counts in one
_ASSISTANCE = re.compile(
    r"低保|特困|救助|补助|补贴|帮扶|帮助|困难|申请|认定|审核|资产|财产|收入|存款|(?<![划打])算|计入|申报|核对|社工|慈善|政府|资助|就业"
    r"|allowance|assistance|apply|application|dibao|\bcount|eligib|hardship|charity|welfare|benefit|assets?\b|income"
)


def intent_of(normalised: str) -> Intent:
    """The answer shape for a question; advice comes first, then a figure question, a list, a yes-or-no."""
    if _ADVICE.search(normalised) and not _ASSISTANCE.search(normalised):
        return Intent.ADVICE
    if _AMOUNT.search(normalised):
        return Intent.AMOUNT
    if _LIST.search(normalised):
        return Intent.LIST
    if _DEFINE.search(normalised):
        return Intent.DEFINE
    if _CAN.search(normalised):
        return Intent.CAN
    return Intent.EXPLAIN
