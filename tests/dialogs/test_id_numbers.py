"""Resident ID numbers: every real number is taken, wherever the flow asks for one; slips are refused politely."""
from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from stdnum import numdb
from stdnum.cn import ric

from dialogs import follow_up
from dialogs.engine import handle
from dialogs.messages import Inbound
from dialogs.flows import hardship as flow
from dialogs.validators import Invalid, id_area_known, parse_id_number
from tests.dialogs.test_engine import CTX, Chat
from tests.walk import answer, steps_of_kind

# Older Guangzhou residents: each number carries a district code created after the holder was born
# (天河 1985, 越秀/荔湾/海珠 1983, 番禺/花都 2000, 南沙 2005, 从化/增城 2014). Made up, checksums valid.
OLDER_RESIDENTS = [
    "440104197811052213",  # 越秀, born 1978
    "440106198207150017",  # 天河, born 1982
    "440113195003140028",  # 番禺, born 1950
    "440114196208091515",  # 花都, born 1962
    "440115197111200624",  # 南沙, born 1971
    "44011719480101123X",  # 从化, born 1948
    "440118195506060080",  # 增城, born 1955
    "440103194002150040",  # 荔湾, born 1940
    "440105193609182514",  # 海珠, born 1936
]
REFUSED = [
    ("440104197811052214", "invalid.id_checksum"),
    ("440106198805120038", "invalid.id_checksum"),
    ("990106195001010012", "invalid.id_area"),    # no province 99
    ("449906195001010017", "invalid.id_area"),    # no prefecture 4499 in 广东
    ("440106195013320010", "invalid.id_birth"),   # month 13
    ("440106203001010012", "invalid.id_birth"),   # born in 2030
    ("44010618800101001X", "invalid.id_birth"),   # before anyone living was born
    ("4401061988051200", "invalid.id_format"),
    ("44010619880512003Y", "invalid.id_format"),
    ("4" * 5000, "invalid.id_format"),
    ("點樣申請支出型困難家庭", "invalid.id_no_digits"),  # words: never "you entered 11 digits"
    ("我唔知道", "invalid.id_no_digits"),
    ("X" * 18, "invalid.id_no_digits"),
    ("身份证" * 100, "invalid.id_no_digits"),
]
ID_STEPS = steps_of_kind("id_number")


@pytest.mark.parametrize("number", OLDER_RESIDENTS)
def test_real_numbers_of_older_residents_are_taken_and_flagged_for_staff(number):
    assert parse_id_number(number, today=CTX.today) == number
    assert not id_area_known(number)  # the county code is younger than its holder: staff check it


def test_a_number_whose_area_matches_its_birth_year_is_not_flagged():
    assert id_area_known(parse_id_number("440106199001010013", today=CTX.today))
    # spaces, dashes, full-width digits and a lower-case x are tidied
    assert parse_id_number(" 4401 0619 8805 1200-37 ", today=CTX.today) == "440106198805120037"
    assert parse_id_number("１１０１０５１９４９１２３１００２x", today=CTX.today) == "11010519491231002X"


@pytest.mark.parametrize("number, key", REFUSED)
def test_slips_are_refused_with_the_reason(number, key):
    with pytest.raises(Invalid) as caught:
        parse_id_number(number, today=CTX.today)
    assert caught.value.key == key


def walk_to(chat: Chat, target: str) -> Chat:
    """Answer by kind until the conversation reaches `target` (ID steps answered with a plain valid number)."""
    chat.text("开始申请")
    agree = flow.BY_ID[target].when is not None
    for _ in range(200):
        if chat.step == target:
            return chat
        kind, value = answer(chat.step, chat.options(), agree=agree)
        chat.option(value) if kind == "option" else chat.text(value)
    raise AssertionError(f"never reached {target}")


def person_of(chat: Chat, step_id: str) -> dict:
    step = flow.BY_ID[step_id]
    return chat.state["answers"][step.group][0] if step.group else chat.state["answers"]["applicant"]


@pytest.mark.parametrize("step_id", ID_STEPS)
@pytest.mark.parametrize("number", OLDER_RESIDENTS[:2])
def test_every_id_step_takes_real_numbers_and_refuses_a_wrong_check_digit(step_id, number):
    chat = walk_to(Chat(), step_id)
    chat.text(number[:-1] + ("0" if number[-1] != "0" else "1"))
    assert chat.step == step_id and "校验位" in chat.last_text()
    chat.text(number)
    assert chat.step != step_id
    person = person_of(chat, step_id)
    assert person["id_number"] == number and person["age"] > 40
    assert follow_up.reason(chat.state["answers"], flow.BY_ID[step_id], 0) == "id_area_unverified"


@pytest.mark.parametrize("step_id", ID_STEPS)
@pytest.mark.parametrize("words", ["没带身份证", "不记得", "留给社工核实"])
def test_a_number_not_at_hand_is_left_for_the_caseworker(step_id, words):
    chat = walk_to(Chat(), step_id)
    assert "_leave" in chat.options()
    chat.text(words)
    assert chat.step != step_id and "社工" in chat.last_text()
    assert person_of(chat, step_id)["id_number"] is None
    assert follow_up.is_left(chat.state["answers"], flow.BY_ID[step_id], 0)


@pytest.mark.parametrize("step_id", ID_STEPS)
def test_two_slips_offer_to_leave_it_and_the_button_does(step_id):
    chat = walk_to(Chat(), step_id)
    chat.text("12345")
    assert "留给社工核实" not in chat.turns[-1].replies[0].text
    chat.text("440106198805120038")
    assert chat.step == step_id and "留给社工核实" in chat.last_text()
    chat.option("_leave")
    assert chat.step != step_id
    assert follow_up.reason(chat.state["answers"], flow.BY_ID[step_id], 0) == "not_given"


def test_a_left_number_shows_in_the_summary_and_is_settled_by_a_later_answer():
    chat = walk_to(Chat(), ID_STEPS[0])
    chat.option("_leave")
    for _ in range(200):
        if chat.step == "summary":
            break
        kind, value = answer(chat.step, chat.options())
        chat.option(value) if kind == "option" else chat.text(value)
    assert "身份证号：留给社工核实" in chat.last_text()
    chat.option("edit")
    chat.text("申请人信息")
    chat.text("身份证号")
    assert chat.step == ID_STEPS[0]
    chat.text(OLDER_RESIDENTS[0])
    assert chat.step == "summary" and "4401**********2213" in chat.last_text()
    assert follow_up.reason(chat.state["answers"], flow.BY_ID[ID_STEPS[0]], 0) == "id_area_unverified"


@pytest.mark.parametrize("kind", sorted(k for k in follow_up.LEAVABLE_KINDS - {"id_number"} if steps_of_kind(k)))
def test_two_slips_at_other_checked_steps_offer_to_leave_it(kind):
    step_id = steps_of_kind(kind)[0]
    chat = walk_to(Chat(), step_id)
    assert "_leave" not in chat.options()
    chat.text("abc")
    chat.text("x-y-z")
    assert chat.step == step_id and "_leave" in chat.options()
    chat.option("_leave")
    assert chat.step != step_id


# -- every county code of Guangdong (44PPCC) ----------------------------------------------------
UNKNOWN_COUNTY = "440108198001011233"  # 广州 0108: a prefecture that exists, a county code the table lacks


def with_check_digit(first17: str) -> str:
    return first17 + ric.calc_check_digit(first17 + "0")


def guangdong_numbers(born: str = "19800101", sequence: str = "123") -> list[str]:
    """One checksum-valid number with a real birth date for every code 44PPCC (PP, CC = 00..99)."""
    return [with_check_digit(f"44{code:04d}{born}{sequence}") for code in range(10_000)]


def prefecture_exists(number: str) -> bool:
    """The first four digits name a prefecture of Guangdong that exists or existed."""
    return any("county" in props for _, props in numdb.get("cn/loc").info(number[:4] + "00")[1:])


@pytest.mark.parametrize("step_id", ID_STEPS)
def test_a_county_code_missing_from_the_table_is_taken_and_flagged_for_the_caseworker(step_id):
    chat = walk_to(Chat(), step_id)
    chat.text(UNKNOWN_COUNTY)
    assert chat.step != step_id
    assert person_of(chat, step_id)["id_number"] == UNKNOWN_COUNTY
    assert follow_up.reason(chat.state["answers"], flow.BY_ID[step_id], 0) == "id_county_unknown"


def test_every_guangdong_county_code_passes_the_id_step_or_is_refused_politely():
    """All 10,000 codes 44PPCC, each with a valid checksum and a real date, sent to the engine at the ID step:
    a number whose prefecture exists is taken (flagged when its county code is unknown or younger than its
    holder); any other is asked again with the reason. No code raises."""
    at_id = walk_to(Chat(), "applicant.id_number").state
    outcomes: dict[str, int] = {}
    for number in guangdong_numbers():
        turn = handle(at_id, Inbound(text=number), CTX)
        if prefecture_exists(number):
            assert turn.state["step"] == "applicant.phone", number
            assert turn.state["answers"]["applicant"]["id_number"] == number
            note = (turn.state["answers"].get("follow_up") or {}).get("applicant.id_number")
            outcomes[note or "taken"] = outcomes.get(note or "taken", 0) + 1
        else:
            assert turn.state["step"] == "applicant.id_number", number
            assert "前4位不是国内的地区代码" in turn.replies[0].text
            outcomes["refused"] = outcomes.get("refused", 0) + 1
    print(outcomes)  # {'taken': 126, 'id_county_unknown': 3005, 'id_area_unverified': 269, 'refused': 6600}
    assert sum(outcomes.values()) == 10_000 and outcomes["refused"] < 10_000
    assert outcomes["id_county_unknown"] > 1000 and outcomes["taken"] > 0 and outcomes["id_area_unverified"] > 0


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(code=st.integers(0, 9999), born=st.dates(date(1900, 1, 1), date(2026, 11, 23)),
       sequence=st.integers(0, 999))
def test_any_guangdong_number_with_a_real_date_never_breaks_a_member_id_step(code, born, sequence):
    number = with_check_digit(f"44{code:04d}{born:%Y%m%d}{sequence:03d}")
    turn = handle(MEMBER_AT_ID, Inbound(text=number), CTX)
    if prefecture_exists(number):
        assert turn.state["step"] != "members.id_number"
        assert turn.state["answers"]["members"][0]["id_number"] == number
    else:
        assert turn.state["step"] == "members.id_number"


MEMBER_AT_ID = walk_to(Chat(), "members.id_number").state
