"""Words that mean the same thing at every step: back, cancel, help, skip, done, language, questions."""
from __future__ import annotations

import re

from dialogs.messages import Inbound
from dialogs.validators import normalise

_WORDS = {
    "back": {"返回", "上一步", "后退", "上一个", "返回上一步", "back", "previous", "go back", "返回上一题"},
    "cancel": {"取消", "取消申请", "不申请了", "cancel", "quit", "stop", "exit", "退出"},
    "help": {"帮助", "help", "怎么填", "？", "?"},
    "skip": {"跳过", "略过", "不填", "skip", "pass"},
    "done": {"完成", "好了", "没有了", "就这些", "done", "finished", "that's all", "no more"},
    "unknown": {"不知道", "不清楚", "不确定", "记不清", "不记得", "记不得", "记不住", "忘了", "忘记了", "don't know", "dont know", "not sure", "unknown", "no idea"},
    "later": {"没带", "没带身份证", "没带证件", "不在身边", "不在手边", "手头没有", "现在没有", "以后补", "以后再补",
              "稍后补充", "之后补充", "留给社工", "让社工核实", "交给社工", "社工核实", "later", "not with me",
              "i don't have it", "don't have it", "dont have it", "leave it", "leave it for the caseworker"},
    "resume": {"继续", "恢复", "继续申请", "resume", "continue"},
    "start": {"开始", "开始申请", "申请", "我要申请", "start", "apply", "begin"},
    "restart": {"重新开始", "重新申请", "restart", "start over"},
    "yes": {"是", "是的", "对", "有", "好", "好的", "可以", "要", "需要", "同意", "y", "yes", "yeah", "ok", "sure"},
    "no": {"否", "不", "不是", "没有", "无", "不要", "不需要", "没", "n", "no", "nope", "none"},
}
_LANG = {"english": "en", "英文": "en", "英语": "en", "in english": "en",
         "中文": "zh", "汉语": "zh", "chinese": "zh", "简体中文": "zh", "普通话": "zh"}
_QUESTION_START = re.compile(
    r"^(什么|怎么|怎样|如何|为什么|为何|能不能|能否|可不可以|可以不|是否|是不是|有没有|哪些|哪里|哪个|多少|多久|请问)"
    r"|^(can|could|what|how|why|when|where|which|who|is|are|do|does|should|will|am i|may i)\b",
    re.IGNORECASE,
)
_QUESTION_END = re.compile(r"([?？]|吗|呢|么)$")


def intent(text: str) -> str | None:
    """The shared meaning of a short message, or None."""
    word = normalise(text).lower().rstrip("。.!！")
    for name, words in _WORDS.items():
        if word in words:
            return name
    return None


def language(text: str) -> str | None:
    """A request to switch language ("English", "中文"), as a locale."""
    return _LANG.get(normalise(text).lower())


def is_question(text: str) -> bool:
    """Whether a message reads as a policy question rather than an answer."""
    text = normalise(text)
    if len(text) < 3 or text in ("?", "？"):
        return False
    return bool(_QUESTION_END.search(text) or _QUESTION_START.match(text))


def looks_english(text: str) -> bool:
    """Mostly Latin letters: a resident writing in English."""
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and sum(ch.isascii() for ch in letters) / len(letters) > 0.8



# "/name", "/name@bot" (Telegram groups) and "/name argument"; "/3000元" is not a command
_COMMAND = re.compile(r"/([A-Za-z0-9_]{1,32})(?:@[A-Za-z0-9_]{1,64})?(?:\s+(.*))?", re.DOTALL)


def command(text: str) -> Inbound | None:
    """A typed slash command as an Inbound ("/ask 学费算吗" -> ask with its argument); None when it is not one.

    Unknown names are commands too: the engine tells the resident which ones exist.
    """
    match = _COMMAND.fullmatch(text.strip())
    if match is None:
        return None
    argument = (match.group(2) or "").strip()
    return Inbound(command=match.group(1).lower(), text=argument or None)
