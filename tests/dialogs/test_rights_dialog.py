"""The rights desk's dialog on its own: every question has a way back, a wrong answer is said politely and
the question asked again, and leaving gives back the question the resident was at."""
from __future__ import annotations

from datetime import date

from dialogs.engine import Context, handle
from dialogs.events import Repeat, RightsFiled, RightsOpened
from dialogs.messages import FileRightsRequest, Inbound, OpenMyData
from dialogs.rights import BACK

CTX = Context(today=date(2026, 12, 8))
OPENED = RightsOpened(7, (("economic_check", None), ("referral", "广州市慈善会")))


def turn(state, **inbound):
    return handle(state, Inbound(**inbound), CTX)


def values(result) -> list[str]:
    return [o.value for o in result.replies[-1].options]


def test_every_stage_has_a_way_back_and_bad_input_asks_again():
    applying = turn(turn(None, text="你好").state, option="start").state
    asked = turn(applying, event=Repeat()).replies[-1].text
    desk = turn(applying, text="我嘅資料")  # Cantonese, traditional characters
    assert BACK in values(desk)
    wrong = turn(desk.state, text="不知道")
    assert "没有认出续办码" in wrong.replies[0].text and desk.replies[-1].text.endswith(wrong.replies[-1].text)
    digits = turn(desk.state, text="续办码 ABCD-EFGH")
    assert BACK in values(digits) and not digits.effects
    proving = turn(digits.state, text="1 2 3 4")
    assert proving.effects == [OpenMyData("ABCDEFGH", "1234")]
    menu = turn(proving.state, event=OPENED)
    assert "_rleave" in values(menu)
    for choice in ("_rcorrect", "_rwithdraw", "_rdelete", "_rreview"):
        opened = turn(menu.state, option=choice)
        assert BACK in values(opened)
        assert menu.replies[-1].text.endswith(turn(opened.state, option=BACK).replies[-1].text)  # the menu again
    withdraw = turn(menu.state, text="3")  # a menu number typed
    assert "广州市慈善会" in " ".join(o.label for o in withdraw.replies[-1].options)
    confirm = turn(withdraw.state, text="2")
    filed = turn(confirm.state, option="_ryes")
    assert filed.effects == [FileRightsRequest(7, "withdraw", "转介给慈善机构（广州市慈善会）", "referral", "广州市慈善会")]
    done = turn(filed.state, event=RightsFiled(3, "withdraw", "2026-12-29", "referral", "广州市慈善会"))
    assert "2026年12月29日" in done.replies[0].text and done.state["rights"]["consents"] == [["economic_check", None]]
    left = turn(done.state, option="_rleave")
    assert left.state["rights"] is None and left.state["step"] == applying["step"] and asked in left.replies[-1].text


def test_the_proof_lasts_the_day_it_was_given():
    menu = turn(turn(turn(turn(None, text="my data").state, text="ABCD-EFGH").state, text="1234").state,
                event=OPENED)
    tomorrow = handle(menu.state, Inbound(option="_rsee"), Context(today=date(2026, 12, 9)))
    assert not tomorrow.effects and tomorrow.state["rights"] == {"stage": "code"}
