"""Question or answer: each message, at the step where it could be taken for the other, is routed right.

A question is answered (an AnswerQuestion effect), nothing is stored and the same step is asked again;
an answer is taken and the conversation moves on. Steps are found by kind (and, for choices, by an
option they offer), so the table holds however the flow is reshaped.
"""
from __future__ import annotations

import copy
import re

import pytest

from dialogs.engine import handle
from dialogs.flows import hardship as flow
from dialogs.messages import AnswerQuestion, Inbound
from dialogs.validators import normalise
from tests.dialogs.test_engine import Chat
from tests.walk import answer


def first(kind: str | tuple[str, ...], *, group: bool | None = None, optional: bool | None = None, control: bool | None = None,
          option: str | None = None, last: bool = False) -> str | None:
    """The first (or last) step of a kind; None when the flow has none, and its rows are left out."""
    kinds = kind if isinstance(kind, tuple) else (kind,)
    found = [s.id for s in flow.STEPS if s.kind in kinds
             and (group is None or (s.group is not None) == group)
             and (optional is None or s.optional == optional)
             and (control is None or s.control == control)
             and (option is None or option in s.options)]
    if not found:
        return None
    return found[-1] if last else found[0]


WHERE = {
    "idle": None,
    "name": first("name", group=False),
    "member_name": first("name", group=True),
    "address": first("text", optional=False),
    "note": first("text", group=True),
    "situation": first("text", optional=True, group=False),
    "assistance": first("choice", option="dibao"),
    "relationship": first("choice", option="spouse"),
    "category": first(("choice", "multi"), option="medical"),
    "household": first("yesno", control=True, group=False),
    "yesno": first("yesno", control=False),
    "flags": first("multi"),
    "income": first("money"),
    "savings": first("money", last=True),
    "count": first("count"),
    "date": first("date"),
    "id": first("id_number"),
    "phone": first("phone"),
    "files": first("files"),
    "summary": "summary",
}

QUESTIONS = [
    ("idle", "低保标准是多少"), ("idle", "屋企有人大病可唔可以申请"), ("idle", "看病花的钱怎么算"),
    ("idle", "支出型困难家庭要什么条件"), ("idle", "我想问下临时救助"), ("idle", "申请要带啲咩材料"),
    ("idle", "广州低保每个月几多钱"), ("idle", "我家符合条件吗"), ("idle", "what is the dibao standard"),
    ("idle", "how much can we get"), ("idle", "我哋屋企可唔可以申请"), ("idle", "医保报销以后剩下的钱点算"),
    ("name", "看病花的钱怎么算"), ("name", "低保标准是多少"), ("name", "屋企有人大病可唔可以申请"),
    ("name", "请问要填真名吗"), ("name", "名字要怎么写"), ("name", "点解要填名"), ("name", "can I apply for my mother"),
    ("member_name", "老人家可以算家庭成员吗"), ("member_name", "孙子的名字也要填咩"),
    ("address", "地址要写户口本上的还是现在住的"), ("address", "租的房子地址可以吗"),
    ("address", "住院期间住医院怎么填地址"), ("address", "What address should I put"),
    ("situation", "这里写什么"), ("situation", "困难情况要写多详细"), ("situation", "是不是写得越多越好"),
    ("note", "孩子大学学费算不算刚性支出"), ("note", "住院押金能不能算"), ("note", "药店买的药可唔可以报"),
    ("assistance", "低保标准是多少"), ("assistance", "低保边缘是什么意思"), ("assistance", "领了临时救助还可以申请吗"),
    ("assistance", "特困供养和低保有什么区别"),
    ("relationship", "女婿算不算家庭成员"), ("relationship", "分开住的子女要不要填"),
    ("category", "医保报销后的钱怎么算"), ("category", "康复训练费用属于哪一类"), ("category", "买房的贷款算不算"),
    ("category", "is the rehabilitation cost included"),
    ("household", "住在一起但没有户口的算吗"), ("household", "出嫁的女儿要不要算"),
    ("yesno", "开网店算个体户吗"),
    ("flags", "什么算重特大疾病"), ("flags", "癌症算不算大病"), ("flags", "退休了算失业吗"),
    ("income", "工资要算税前还是税后"), ("income", "打零工的收入怎么算"), ("income", "收入包括哪些"),
    ("income", "养老金要不要算收入"), ("income", "What counts as income"),
    ("savings", "公积金算不算存款"), ("savings", "存款多少以下才可以申请"),
    ("count", "租的房子算不算"), ("count", "宅基地的房子要算吗"), ("count", "电动车要不要算"),
    ("date", "哪一天算发生日期"),
    ("id", "身份证号码是哪个"), ("id", "没有身份证可以申请吗"),
    ("phone", "一定要手机号吗"), ("phone", "座机可以吗"),
    ("files", "票据丢了怎么办"), ("files", "收据要原件吗"),
    ("summary", "提交后多久有结果"), ("summary", "提交之后还能改吗"), ("summary", "要等几耐先有结果"),
]

ANSWERS = [
    ("idle", "开始申请"), ("idle", "我想申请"), ("idle", "你好"), ("idle", "Hello there"),
    ("name", "陈美玲"), ("name", "欧阳娜娜"), ("name", "李小明"), ("name", "买买提·艾力"), ("name", "Chen Meiling"),
    ("name", "何美华"), ("name", "温多多"), ("member_name", "黄志强"), ("member_name", "黄小宇"),
    ("address", "海珠区江南大道中100号"), ("address", "天河区天河北路123号2楼"), ("address", "越秀区东风中路（近市政府）"),
    ("address", "番禺区市桥街光明北路8号之一"), ("address", "荔湾区多宝路45号"),
    ("situation", "我老公中风了，不能工作，家里没收入，不知道怎么办"), ("situation", "孩子患白血病，每个月药费好多"),
    ("situation", "我一个人带两个小孩，前年离婚了"), ("situation", "屋企老人家瘫痪咗，要请人照顾"),
    ("situation", "My husband lost his job and I am in chemotherapy"),
    ("note", "住院治疗"), ("note", "大学学费"), ("note", "门诊和药费"), ("note", "化疗费用（医保报销后）"),
    ("assistance", "低保"), ("assistance", "都没有"), ("assistance", "临时救助"), ("assistance", "特困"),
    ("assistance", "2"), ("assistance", "没有"),
    ("relationship", "配偶"), ("relationship", "子女"), ("relationship", "兄弟姐妹"), ("relationship", "1"),
    ("category", "医疗"), ("category", "医疗（医保报销后自付）"), ("category", "教育"), ("category", "残疾康复"),
    ("category", "其他必需支出"), ("category", "康复"),
    ("household", "有"), ("household", "没有"), ("household", "冇"), ("household", "有的"),
    ("yesno", "是"), ("yesno", "否"), ("yesno", "系"), ("yesno", "唔系"), ("yesno", "no"),
    ("flags", "患重特大疾病"), ("flags", "残疾"), ("flags", "1,3"), ("flags", "都没有"), ("flags", "失业 残疾"),
    ("flags", "选好了"),
    ("income", "3000"), ("income", "三千蚊"), ("income", "大概两万"), ("income", "1.2万"), ("income", "冇"),
    ("savings", "约5000"), ("savings", "0"),
    ("count", "1"), ("count", "两套"), ("count", "冇"),
    ("date", "2026-03-05"), ("date", "3月5日"),
    ("id", "440104197811052213"), ("id", "440106198207150017"),
    ("phone", "13800138000"), ("phone", "020-83001234"),
    ("files", "发送完毕"), ("summary", "确认提交"), ("summary", "修改"),
]

_AT: dict[str, dict] = {}


def present(table: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The rows whose kind of step the flow has."""
    return [(where, message) for where, message in table if where == "idle" or WHERE[where]]


def at(where: str) -> Chat:
    """A conversation waiting at the step (a copy of one walked once)."""
    chat = Chat()
    if where == "idle":
        chat.text("你好")
        return chat
    target = WHERE[where]
    if where not in _AT:
        walker = Chat()
        walker.text("开始申请")
        agree = flow.BY_ID[target].when is not None
        while walker.step != target:
            kind, value = answer(walker.step, walker.options(), agree=agree)
            walker.option(value) if kind == "option" else walker.text(value)
            assert len(walker.turns) < 200
        _AT[where] = walker.state
    chat.state = copy.deepcopy(_AT[where])
    return chat


def asked_back(chat: Chat, text: str) -> bool:
    before = copy.deepcopy(chat.state)
    turn = chat.text(text)
    questions = [e for e in turn.effects if isinstance(e, AnswerQuestion)]
    if questions:
        assert questions[0].question in (text, normalise(text))  # the menu passes it on tidied
        assert chat.step == before["step"] and chat.state["answers"] == before["answers"]
        assert turn.replies  # the same question (or the menu) follows the answer
    return bool(questions)


def test_the_table_is_big_enough():
    assert len(QUESTIONS) >= 60 and len(ANSWERS) >= 60
    assert all("?" not in m and "？" not in m for _, m in QUESTIONS)


@pytest.mark.parametrize("where, message", present(QUESTIONS))
def test_questions_are_answered_and_the_step_asked_again(where, message):
    assert asked_back(at(where), message)


@pytest.mark.parametrize("where, message", present(ANSWERS))
def test_answers_are_taken(where, message):
    chat = at(where)
    before = chat.step
    assert not asked_back(chat, message)
    if where == "idle":
        return
    moved = chat.step != before or any("Submit" == type(e).__name__ for e in chat.turns[-1].effects)
    assert moved, chat.last_text()


def test_a_question_at_a_free_text_step_can_still_be_the_answer():
    chat = at("situation")
    assert asked_back(chat, "是不是写得越多越好")
    assert "_use" in chat.options()
    chat.text("作为本题回答")
    assert chat.step != WHERE["situation"]
    assert chat.state["answers"][WHERE["situation"]] == "是不是写得越多越好"


def test_a_sentence_is_not_a_name():
    chat = at("name")
    chat.text("我老公中风了不能工作家里没有收入")
    assert chat.step == WHERE["name"] and "只需要填写姓名" in chat.last_text()


def test_a_question_mid_application_gives_the_answer_then_the_question_once():
    chat = at("income")
    turn = chat.text("低保标准是多少")
    assert len(turn.replies) == 1 and turn.replies[0].text.startswith("我们回到刚才的问题")
    assert handle(chat.state, Inbound(text="3000"), chat.ctx).state["step"] != WHERE["income"]


# Asked mid-application as residents type them: Cantonese in traditional and simplified characters,
# Mandarin and English, none with a question mark (each is also sent with one).
EVERY_STEP_QUESTIONS = [
    "點樣申請支出型困難家庭", "点样申请支出型困难家庭", "急難嗰種臨時救助最多可以攞幾多個月",
    "急难嗰种临时救助最多可以攞几多个月", "申請要交啲咩文件", "低保边缘的新标准是从什么时候开始执行的",
    "係咪一定要身份證先可以申請", "do I have to pay any fee to apply",
]


@pytest.mark.parametrize("mark", ["", "？"])
@pytest.mark.parametrize("message", EVERY_STEP_QUESTIONS)
@pytest.mark.parametrize("where", [w for w in WHERE if w == "idle" or WHERE[w]])
def test_questions_in_every_script_are_answered_at_every_step(where, message, mark):
    assert asked_back(at(where), message + mark)


@pytest.mark.parametrize("message", ["點樣申請支出型困難家庭", "急難嗰種臨時救助最多可以攞幾多個月", "我唔知道", "身份证丢咗"])
def test_no_digit_count_for_a_message_without_digits(message):
    chat = at("id")
    chat.text(message)
    assert chat.step == WHERE["id"]
    assert not re.search(r"输入了\d+位", chat.last_text()), chat.last_text()


def test_a_policy_topic_without_a_question_word_is_asked_back_only_where_no_words_can_answer():
    assert asked_back(at("id"), "临时救助最长期限")  # no ID number is written in words
    assert not asked_back(at("income"), "没有收入")  # an amount may be: the money step answers for itself


@pytest.mark.parametrize("where", ["idle", "id", "income"])
def test_more_asks_for_the_longer_answer_to_the_last_question_and_keeps_the_step(where):
    chat = at(where)
    chat.text("临时救助能给多少钱")
    before = copy.deepcopy(chat.state)
    for inbound in (Inbound(text="更多"), Inbound(text="more"), Inbound(command="more")):
        turn = chat.send(inbound)
        assert [e for e in turn.effects if isinstance(e, AnswerQuestion)] == \
            [AnswerQuestion("临时救助能给多少钱", "zh", more=True)]
        assert chat.step == before["step"] and chat.state["answers"] == before["answers"]


def test_more_before_any_question_is_no_answer():
    chat = at("id")
    turn = chat.text("更多")
    assert not [e for e in turn.effects if isinstance(e, AnswerQuestion)]
