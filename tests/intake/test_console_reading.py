"""What the intake page is made of reads as the resident was asked: labels as the questions and their options
said them, every pressed button as its label, the pre-screen's reasons apart from their sources."""
from __future__ import annotations

import copy
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from dialogs.flows.hardship import INCOME_SOURCES, RIGID_KINDS
from dialogs.summary import summary_text
from dialogs.texts import t
from intake.console import answers
from intake.console.prescreen import programme_views
from intake.console.transcript import labelled
from intake.eligibility import prescreen
from intake.models import IntakeStatus
from intake.store.records import IntakeRecord
from knowledge.params import load_params
from tests.intake.conftest import APPLICATION
from tests.intake.console_harness import console_app

DIALOGS = Path(__file__).resolve().parents[2] / "dialogs"
NOW = datetime(2026, 12, 1, tzinfo=UTC)


def record(application: dict, transcript: tuple = ()) -> IntakeRecord:
    return IntakeRecord(1, "web", "u", "zh", IntakeStatus.SUBMITTED, False, None, NOW, NOW, NOW, None, None, 0,
                        application, None, None, transcript=transcript)


def district(key, locale):
    return key


@pytest.mark.parametrize("locale", ["zh", "en"])
def test_amount_labels_are_the_options_the_resident_ticked(locale):
    for source in INCOME_SOURCES:
        assert t(locale, f"label.income.{source}") == t(locale, f"opt.sources.{source}")
    for kind in RIGID_KINDS:
        assert t(locale, f"label.spending.{kind}") == t(locale, f"opt.kinds.{kind}")
    assert t("zh", "label.income.pension") == "退休金"


@pytest.mark.parametrize("locale, said", [("zh", "没有其他家庭成员"), ("en", "no other members")])
def test_a_household_of_one_says_no_other_members(locale, said):
    alone = {**APPLICATION, "members": [], "consents": {"health": True, "financial": True}}
    members = next(s for s in answers.sections(record(alone), locale, district) if s.number == 2)
    assert not members.items and members.empty == said
    assert said in summary_text(alone, locale, {}, {})
    assert t(locale, "value.none") not in summary_text(alone, locale, {}, {}).split(t(locale, "section.3"))[0]


def test_every_button_value_the_dialogs_offer_reads_as_its_label():
    offered = set()
    for path in DIALOGS.rglob("*.py"):
        offered |= set(re.findall(r'"(_[a-z_]+)"', path.read_text(encoding="utf-8")))
    assert {"_skip", "_done", "_back", "_receipt_yes"} <= offered
    lines = [{"who": "resident", "text": value} for value in sorted(offered)]
    for locale in ("zh", "en"):
        shown = labelled(lines, locale, [], district)
        raw = [turn.text for turn in shown if turn.text.startswith("_")]
        assert not raw, raw
        assert shown[[line["text"] for line in lines].index("_skip")].text == t(locale, "opt.skip")


def test_pre_screen_reasons_are_plain_and_their_sources_apart():
    stored = prescreen(APPLICATION, load_params()).to_dict()
    for locale in ("zh", "en"):
        views = programme_views(stored, locale)
        assert {v.key for v in views} >= {"dibao", "dibao_edge", "temporary"}
        for view in views:
            for check in view.checks:
                assert check.reason and "依据：" not in check.reason and "(Source:" not in check.reason
                assert "【" not in check.reason and "[Note" not in check.reason
            assert any(check.sources for check in view.checks)
            if locale == "zh":
                # the Chinese page carries no English note, neither in a reason nor folded under it
                english = re.compile(r"[A-Za-z]{3,}(?:[ ,]+[A-Za-z]{2,}){2,}")
                for check in view.checks:
                    assert not english.search(check.reason + check.note + "".join(check.sources)), check
        failing = [v for v in views if v.outcome != "met"]
        assert all(v.failing and all(c.outcome != "met" for c in v.failing) for v in failing)


async def test_an_answer_staff_must_check_carries_its_note_on_the_intake_page(tmp_path):
    application = copy.deepcopy(APPLICATION)
    application["follow_up"] = {"applicant.id_number": "id_county_unknown"}
    async with console_app(tmp_path) as harness:
        intake_id = await harness.store.submit(application, channel="web", user_id="u-note", locale="zh")
        caseworker = await harness.staff("wang", "caseworker")
        zh = (await caseworker.get(f"/console/intakes/{intake_id}")).text
        en = (await caseworker.get(f"/console/intakes/{intake_id}?lang=en")).text
    assert "县区代码不在核对表中，请核对证件" in zh
    assert "county code is not in the table the check uses: check the card" in en
    assert "id_county_unknown" not in zh and "id_county_unknown" not in en
