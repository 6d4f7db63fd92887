"""Answers written by a chat model from retrieved passages only, and checks that they stay so."""
from __future__ import annotations

import enum
import re
from dataclasses import dataclass

from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage

from knowledge.index import Hit
from knowledge.texts import locale_of

NO_ANSWER = "NO_ANSWER"
_CITATION = re.compile(r"\[(\d+)\]")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")

SYSTEM_PROMPT = (
    "你是善桥的社会救助政策咨询助手，为困难家庭解答政策问题。\n"
    "规则：\n"
    "1. 只能根据用户消息里编号的资料回答，不能使用资料以外的知识，不能猜测。\n"
    "2. 每句话后面用方括号标出依据的资料编号，例如[1]或[1][2]。\n"
    "3. 资料里的数字必须原样照抄，不能计算新的数字；数字后面括号里写的起始日期要一起保留。\n"
    "4. 如果资料不足以回答这个问题，只回复 " + NO_ANSWER + "，不要写别的。\n"
    "5. 回答简短、礼貌、通俗，不超过五句话；提醒是否符合条件以镇街审核为准。\n"
)
LANGUAGE = {
    "zh": "请用简体中文回答。",
    "en": "Answer in English. Keep the bracketed passage numbers. Chinese policy names may stay in Chinese.",
}


class Outcome(enum.Enum):
    """What a model reply turned out to be."""

    ANSWERED = "answered"
    # the model says the passages do not answer the question
    UNSUPPORTED = "unsupported"
    # the reply cites nothing, cites a passage it was not given, or states a figure no passage has
    UNGROUNDED = "ungrounded"


@dataclass(frozen=True, slots=True)
class Reply:
    """A model reply after checking: its text and the passage numbers it cites."""

    outcome: Outcome
    text: str
    cited: tuple[int, ...] = ()


def build_messages(question: str, hits: tuple[Hit, ...], locale: str) -> list[BaseMessage]:
    """The system rules and one user message carrying the numbered passages and the question."""
    passages = "\n\n".join(
        f"[{n}]《{hit.chunk.document.title}》{hit.chunk.section}\n{hit.chunk.text}"
        for n, hit in enumerate(hits, start=1)
    )
    return [
        SystemMessage(SYSTEM_PROMPT + LANGUAGE[locale_of(locale)]),
        HumanMessage(f"资料：\n{passages}\n\n问题：{question}"),
    ]


def read_reply(content: object, question: str, hits: tuple[Hit, ...]) -> Reply:
    """Check a reply against the passages it was written from."""
    text = _plain_text(content).strip()
    if not text or NO_ANSWER in text:
        return Reply(Outcome.UNSUPPORTED, text)
    cited = tuple(sorted({int(n) for n in _CITATION.findall(text)}))
    if not cited or any(n < 1 or n > len(hits) for n in cited):
        return Reply(Outcome.UNGROUNDED, text, cited)
    # every figure must be one the passages (or the resident) wrote: numbers come from the parameter file
    grounding = question + "".join(hit.chunk.text for hit in hits)
    figures = set(_NUMBER.findall(grounding))
    if any(number not in figures for number in _NUMBER.findall(_CITATION.sub("", text))):
        return Reply(Outcome.UNGROUNDED, text, cited)
    return Reply(Outcome.ANSWERED, text, cited)


def _plain_text(content: object) -> str:
    # chat models may answer with a list of content blocks instead of a string
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(
            block if isinstance(block, str) else str(block.get("text", ""))
            for block in content
            if isinstance(block, (str, dict))
        )
    return str(content or "")
