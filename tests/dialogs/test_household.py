"""The household as entered stays plausible: each person's ID number once, one spouse, names that are names,
at most 15 people; each slip is explained and asked again, the limit moves on to the next part."""
from __future__ import annotations

import re

import pytest

from dialogs.members import HOUSEHOLD_MAX
from stdnum.cn import ric
from tests.dialogs.test_engine import Chat
from tests.dialogs.test_id_numbers import walk_to
from tests.walk import MEMBER_ID, TYPED, answer

APPLICANT_ID = TYPED["zh"]["id_number"]
CJK = re.compile(r"[\u3400-\u9fff]")


def member_id(n: int) -> str:
    """A distinct checksum-valid number per member (born 1990 + n)."""
    first17 = f"440106{1990 + n}0305{n:03d}"
    return first17 + ric.calc_check_digit(first17 + "0")


def add_member(chat: Chat, n: int, relationship: str = "child") -> None:
    """Answer one member's questions (at members.relationship) with the n-th distinct ID number."""
    assert chat.step == "members.relationship"
    chat.option(relationship)
    for _ in range(20):
        if chat.step in ("members.more", "assistance") or chat.step == "members.relationship":
            return
        if chat.step == "members.id_number":
            chat.text(member_id(n))
            continue
        kind, value = answer(chat.step, chat.options())
        chat.option(value) if kind == "option" else chat.text(value)
    raise AssertionError(chat.step)


@pytest.mark.parametrize("locale, who", [("zh", "申请人"), ("en", "the applicant")])
def test_the_applicants_own_id_number_is_refused_for_a_member(locale, who):
    chat = walk_to(Chat(locale), "members.id_number")
    chat.text(APPLICANT_ID)
    assert chat.step == "members.id_number" and who in chat.last_text()
    assert chat.state["answers"]["members"][0].get("id_number") is None
    if locale == "en":
        assert not CJK.search(chat.last_text())
    chat.text(MEMBER_ID)
    assert chat.step != "members.id_number" and chat.state["answers"]["members"][0]["id_number"] == MEMBER_ID


def test_another_members_id_number_is_refused_and_naming_the_member():
    chat = walk_to(Chat(), "members.id_number")
    chat.text(MEMBER_ID)
    while chat.step != "members.more":
        kind, value = answer(chat.step, chat.options())
        chat.option(value) if kind == "option" else chat.text(value)
    chat.option("yes")
    chat.option("child")
    chat.text("黄小宇")
    chat.text(MEMBER_ID)
    assert chat.step == "members.id_number" and "第1位成员" in chat.last_text()
    chat.text(member_id(7))
    assert chat.step != "members.id_number"


def test_the_same_number_given_again_for_the_same_member_is_taken():
    # going back and answering a member's ID again with the same number is no repeat
    chat = walk_to(Chat(), "members.id_number")
    chat.text(MEMBER_ID)
    chat.option("_back")
    assert chat.step == "members.id_number"
    chat.text(MEMBER_ID)
    assert chat.step != "members.id_number"


def test_a_second_spouse_is_refused():
    chat = walk_to(Chat(), "members.relationship")
    add_member(chat, 1, "spouse")
    chat.option("yes")
    chat.option("spouse")
    assert chat.step == "members.relationship" and "已经填过一位配偶" in chat.last_text()
    chat.option("child")
    assert chat.step == "members.name"


@pytest.mark.parametrize("name, words", [("12345", "不能有数字"), ("妈妈", "身份证上的姓名"), ("我老婆", "身份证上的姓名"),
                                         ("儿子", "身份证上的姓名")])
def test_a_name_that_is_not_a_name_is_asked_again(name, words):
    chat = walk_to(Chat(), "members.name")
    chat.text(name)
    assert chat.step == "members.name" and words in chat.last_text()
    chat.text("黄志强")
    assert chat.step == "members.id_number"


def test_a_relationship_typed_as_an_english_name_is_asked_again():
    chat = walk_to(Chat("en"), "members.name")
    chat.text("my wife")
    assert chat.step == "members.name" and "name on this person's ID card" in chat.last_text()


@pytest.mark.parametrize("locale", ["zh", "en"])
def test_the_household_stops_at_15_people_and_moves_on(locale):
    chat = walk_to(Chat(locale), "members.relationship")
    for n in range(1, HOUSEHOLD_MAX):
        add_member(chat, n)
        if n < HOUSEHOLD_MAX - 1:
            assert chat.step == "members.more"
            chat.option("yes")
    assert chat.step == "assistance"  # "anyone else?" is not asked of a full household
    assert len(chat.state["answers"]["members"]) == HOUSEHOLD_MAX - 1
    said = chat.last_text()
    assert ("最多填写15人" if locale == "zh" else "at most 15 people") in said
    if locale == "en":
        assert not CJK.search(said)
    # the summary's edit menu no longer offers to add a member
    while chat.step != "summary":
        kind, value = answer(chat.step, chat.options(), locale)
        chat.option(value) if kind == "option" else chat.text(value)
    chat.option("edit")
    chat.option("2")
    assert chat.step == "edit.item" and "add" not in chat.options() and "1" in chat.options()


def born_in(year: int) -> str:
    first17 = f"440106{year}0101042"
    return first17 + ric.calc_check_digit(first17 + "0")


@pytest.mark.parametrize("relationship, year, key", [
    ("child", 1980, "不比您年轻"),        # the applicant was born in 1988
    ("grandchild", 1950, "不比您年轻"),
    ("parent", 2000, "不比您年长"),
    ("grandparent", 1988, "不比您年长"),  # same year, later in the year than the applicant
])
def test_a_generation_that_does_not_fit_the_relationship_is_asked_again(relationship, year, key):
    chat = walk_to(Chat(), "members.relationship")
    chat.option(relationship)
    chat.text("黄小宇")
    chat.text(born_in(year) if year != 1988 else "440106198812310429")
    assert chat.step == "members.id_number" and key in chat.last_text() and "返回" in chat.last_text()
    chat.text(born_in(2015 if relationship in ("child", "grandchild") else 1950))
    assert chat.step != "members.id_number"
