"""Words that mean the same thing at every step: back, cancel, help, skip, done, language, questions."""
from __future__ import annotations

import re

from dialogs.messages import Inbound
from dialogs.script import simplified
from dialogs.validators import normalise

_WORDS = {
    "back": {"返回", "上一步", "后退", "上一个", "返回上一步", "back", "previous", "go back", "返回上一题"},
    "cancel": {"取消", "取消申请", "不申请了", "cancel", "quit", "stop", "exit", "退出"},
    "help": {"帮助", "help", "怎么填", "？", "?"},
    "skip": {"跳过", "略过", "不填", "skip", "pass"},
    "done": {"完成", "好了", "没有了", "就这些", "发送完毕", "发完了", "传完了", "done", "finished", "finished sending",
             "that's all", "no more"},
    "unknown": {"不知道", "不清楚", "不确定", "记不清", "不记得", "记不得", "记不住", "忘了", "忘记了", "唔知", "唔知道", "唔清楚", "唔记得", "don't know", "dont know", "not sure", "unknown", "no idea"},
    "later": {"没带", "没带身份证", "没带证件", "不在身边", "不在手边", "手头没有", "现在没有", "以后补", "以后再补",
              "稍后补充", "之后补充", "留给社工", "让社工核实", "交给社工", "社工核实", "later", "not with me",
              "i don't have it", "don't have it", "dont have it", "leave it", "leave it for the caseworker"},
    "status": {"查看进度", "进度", "查看申请进度", "申请进度", "办理进度", "我的申请", "查进度", "status", "my applications",
               "check status", "progress"},
    "resume": {"继续", "恢复", "继续申请", "resume", "continue"},
    # the rights desk (dialogs.rights): see, correct or delete one's data, withdraw a consent, ask for a person
    "mydata": {"我的信息", "我的资料", "我的个人信息", "我的数据", "查看我的信息", "我嘅资料", "我嘅信息", "我嘅个人资料",
               "my data", "my information", "my personal data", "my details", "see my data"},
    "more": {"更多", "详细", "详细点", "详细说明", "详细啲", "讲详细啲", "more", "tell me more", "more details"},
    "start": {"开始", "开始申请", "申请", "我要申请", "start", "apply", "begin"},
    "restart": {"重新开始", "重新申请", "restart", "start over"},
    "yes": {"是", "是的", "对", "对的", "有", "有的", "有啊", "好", "好的", "可以", "要", "需要", "同意", "系", "係", "系呀",
            "係呀", "有呀", "y", "yes", "yeah", "yep", "ok", "sure"},
    "no": {"否", "不", "不是", "没有", "没有的", "无", "不要", "不需要", "没", "冇", "冇呀", "冇啊", "唔系", "唔係",
           "唔使", "唔要", "n", "no", "nope", "none"},
}
_LANG = {"english": "en", "英文": "en", "英语": "en", "in english": "en",
         "中文": "zh", "汉语": "zh", "chinese": "zh", "简体中文": "zh", "普通话": "zh"}
# What makes a message a question, in Mandarin, Cantonese and English, with or without a question mark.
_QUESTION_WORDS = re.compile(
    r"怎么|怎样|怎麼|如何|什么|甚么|啥|为什么|为何|多少|多久|多长时间|几多|几耐|几时|哪(?!怕)|谁|(要|有|写|填|算)多(大|长|久|远|详细|细|少|高|重)|"
    r"点样|点算|点解|边度|边个|边啲|乜嘢|乜野|咩|系咪|几(个|天|年|次|岁|倍)|请问|问一下|问下|想问|想了解|想咨询|咨询一下|是否|能否|可否|"
    r"(?P<a>[一-龥])(不|唔|没|冇)(?P=a)|有冇|有没有|得唔得|得不得|使唔使|够不够|算不算|"
    r"(要|是|写|填|选|算).{0,12}还是|"
    r"标准是|条件是|要求是|需要什么|需要哪|要什么|要带|要准备|符合.{0,6}(吗|嘛|不)"
)
_QUESTION_END = re.compile(r"([?？]|吗|嘛|呢|么|麼|咩|未|不|冇|没有)$")
_NOT_QUESTION_ENDS = ("没有", "不", "冇")  # on their own (or after a plain verb) these answer a question
_ENGLISH_QUESTION = re.compile(
    r"^(can|could|what|how|why|when|where|which|who|whom|whose|is|are|do|does|did|should|will|would|am i|may i|"
    r"shall|have|has)\b|\b(how (much|many|long|do|does|can)|what (is|are|does)|am i eligible|can i|"
    r"is there|are there|tell me about|i (want|would like) to know)\b", re.IGNORECASE)
_GREETINGS = {"你好", "您好", "你好呀", "您好呀", "在吗", "在不在", "喂", "哈喽", "嗨", "早晨", "早上好", "hi", "hello", "hey",
              "good morning"}
_POLICY_WORDS = re.compile(
    r"低保|救助|补助|补贴|报销|困难|特困|条件|标准|材料|政策|医保|残疾|临时|刚性|支出|收入|assistance|dibao|"
    r"subsid|allowance|eligib|hardship|benefit|insurance|medical|expense|income", re.IGNORECASE)
_WANTS_TO_APPLY = re.compile(r"^(我|我们|我家)?(想|要|准备)(申请|办理|办|报名)")


QUESTION_MAX = 500  # longer text is not treated as a question (and is never sent to the knowledge base whole)
WORD_MAX = 64  # the longest message that can be one of the words above


def intent(text: str) -> str | None:
    """The shared meaning of a short message, or None."""
    if len(text) > WORD_MAX:
        return None
    word = simplified(normalise(text)).lower().rstrip("。.!！")
    for name, words in _WORDS.items():
        if word in words:
            return name
    return None


def language(text: str) -> str | None:
    """A request to switch language ("English", "中文"), as a locale."""
    if len(text) > WORD_MAX:
        return None
    return _LANG.get(normalise(text).lower())


def is_question(text: str) -> bool:
    """Whether a message reads as a question (a policy question, when it is not a command or an answer)."""
    if len(text) > QUESTION_MAX:
        return False
    text = simplified(normalise(text)).rstrip("。.!！~～ ")
    if len(text) < 2 or text in ("?", "？"):
        return False
    if looks_english(text):
        return text.endswith("?") or bool(_ENGLISH_QUESTION.search(text))
    if _QUESTION_WORDS.search(text):
        return True
    if text.endswith(_NOT_QUESTION_ENDS):
        # "没有" answers; "可以申请不" and "申请了没有" ask: a question needs more before the particle
        head = text[: -len(next(e for e in _NOT_QUESTION_ENDS if text.endswith(e)))]
        return len(head) >= 3 and not head.endswith(("都", "也", "还", "并", "从来", "我", "我们", "暂时", "目前"))
    return bool(_QUESTION_END.search(text))


def is_greeting(text: str) -> bool:
    """Hello (perhaps with a word more), and no question."""
    if len(text) > WORD_MAX:
        return False
    text = normalise(text).lower().rstrip("。.!！~～ ,，")
    if text in _GREETINGS:
        return True
    return any(text.startswith(g) for g in _GREETINGS) and len(text) <= 16 and not is_question(text) \
        and not _POLICY_WORDS.search(text)


def is_about_policy(text: str) -> bool:
    """Mentions assistance, its rules or its money: at the menu, such a message is a question to answer."""
    return bool(_POLICY_WORDS.search(simplified(normalise(text))))


def wants_to_apply(text: str) -> bool:
    """"我想申请", "我要申请救助": asking to start the application, not a question about it."""
    text = normalise(text)
    return bool(_WANTS_TO_APPLY.match(text)) and not is_question(text)


def looks_english(text: str) -> bool:
    """Mostly Latin letters: a resident writing in English (judged on the first few hundred characters)."""
    letters = [ch for ch in text[:QUESTION_MAX] if ch.isalpha()]
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
