"""The extractive answerer: quotes with sources, figures from the parameter file, and not-sure answers."""
from __future__ import annotations

import pytest

from knowledge.answerer import build_answerer
from knowledge.documents import load_corpus
from knowledge.figures import format_number
from knowledge.needs import need_of
from knowledge.params import load_params
from knowledge.texts import text
from tests.knowledge.conftest import off_topic_questions


async def test_an_answer_quotes_the_corpus_and_names_its_sources(answerer):
    answer = await answerer.answer("家里有车能申请吗")
    assert answer.confident
    assert "机动车" in answer.text
    assert answer.sources[0].title == "家庭收入和财产怎么算"
    document = {d.doc_id: d for d in load_corpus()}["income-assets"]
    assert answer.sources[0].effective_date == document.effective_date
    assert answer.sources[0].source == document.source  # the full source goes with the answer (ask prints it)
    # the answer ends with its sources on a line of their own: each document and the day it applies from
    assert answer.text.splitlines()[-1].startswith("来源：《家庭收入和财产怎么算》（")


async def test_figures_in_answers_equal_the_parameter_file(answerer):
    params = load_params()
    answer = await answerer.answer("低保边缘家庭收入标准多少")
    line = params.value("dibao_standard") * params.value("marginal_income_multiple")
    assert f"{format_number(line)}元" in answer.text
    assert params.value("marginal_income_line") == line
    # the figure is cited as the line parameter itself, with its own day and source
    assert params["marginal_income_line"].source in answer.text
    assert params["marginal_income_line"].label_zh in {s.title for s in answer.sources}


async def test_changing_a_parameter_changes_the_answer(params_copy):
    # the marginal line is a parameter of its own (with its own day and source): it changes with it
    path = params_copy(dibao_standard=1500, marginal_income_multiple=2, marginal_income_line=3000)
    answer = await build_answerer(params_path=path).answer("低保边缘家庭收入标准多少")
    assert "3000元" in answer.text and "2052" not in answer.text
    standard = await build_answerer(params_path=path).answer("广州低保标准是多少")
    assert "1500元/人/月" in standard.text and "1368" not in standard.text


async def test_an_english_question_gets_an_english_answer(answerer):
    answer = await answerer.answer("I'm not registered in Guangzhou, can I apply?", locale="en")
    assert answer.confident
    assert "hukou" in answer.text and "户籍" not in answer.text
    assert "non-local-residents" not in answer.text
    assert answer.sources[0].title == "Help for residents without Guangzhou household registration"


async def test_a_question_the_corpus_cannot_answer_is_reported(unanswered):
    calls, record = unanswered
    answerer = build_answerer(on_unanswered=record)
    answer = await answerer.answer("怎么做红烧肉", locale="zh")
    assert not answer.confident and answer.sources == []
    assert answer.text == text("zh", "not_sure")
    assert "社工" in answer.text
    assert calls == [("怎么做红烧肉", "zh")]
    english = await answerer.answer("How do I bake bread?", locale="en")
    assert english.text == text("en", "not_sure") and "caseworker" in english.text
    assert calls[-1] == ("How do I bake bread?", "en")


async def test_most_off_topic_questions_are_not_answered(answerer):
    questions = off_topic_questions()
    answers = [await answerer.answer(q) for q in questions]
    unsure = sum(not a.confident for a in answers)
    # near-policy questions (公积金, 电费) can still look answerable; see tests/knowledge/offtopic.txt
    assert unsure / len(questions) >= 0.7


async def test_a_failing_callback_does_not_cost_the_resident_an_answer():
    async def broken(question: str, locale: str) -> None:
        raise ConnectionError("store down")

    answer = await build_answerer(on_unanswered=broken).answer("明天天气怎么样")
    assert not answer.confident and answer.text == text("zh", "not_sure")


async def test_an_empty_question_asks_for_one(unanswered):
    calls, record = unanswered
    answer = await build_answerer(on_unanswered=record).answer("   ")
    assert not answer.confident and answer.text == text("zh", "empty")
    assert calls == []


async def test_answers_serialise_as_the_cli_prints_them(answerer):
    payload = (await answerer.answer("认定有效期多久")).as_dict()
    assert set(payload) == {"answer", "confident", "sources"}
    assert payload["sources"] and set(payload["sources"][0]) == {"title", "source", "effective_date"}
    months = load_params()["recognition_validity_months"]
    assert f"{months.value}{months.unit}" in payload["answer"]


async def test_advice_on_a_fund_a_stock_or_a_job_is_declined_and_reported(unanswered):
    calls, record = unanswered
    answerer = build_answerer(on_unanswered=record)
    for question in ("股票现在能不能买", "買基金應該揀邊隻", "我想换个工作，有什么推荐"):
        answer = await answerer.answer(question)
        assert not answer.confident and answer.text == text("zh", "not_sure"), question
    assert [q for q, _ in calls] == ["股票现在能不能买", "買基金應該揀邊隻", "我想换个工作，有什么推荐"]
    # a fund asked about as an asset is still answered
    asset = await answerer.answer("买了基金还能申请低保吗")
    assert asset.confident and "金融资产" in asset.text


async def test_how_long_an_application_takes_is_answered_with_the_working_days(answerer):
    days = f"{format_number(load_params().value('review_working_days'))}个工作日"
    for question in ("交了申请多长时间出结果", "审批一般几天", "批下来要几天"):
        answer = await answerer.answer(question)
        assert answer.confident and days in answer.text, question


async def test_the_need_inside_a_story_is_answered(answerer):
    illness = await answerer.answer("我老公每个月挣八千，孩子白血病治疗花了二十多万，我们能申请吗")
    assert illness.sources[0].title == "支出型困难家庭：谁可以申请"
    assert "刚性支出" in illness.text and "人均可支配收入" in illness.text
    alone = await answerer.answer(
        "我今年七十二岁，老伴走了好几年，没有儿女，以前在工厂干活没有交社保，现在一个人住在老房子里，"
        "腿脚也不好，每个月就靠邻居接济一点，我想问问政府能不能管管我们这样的老人"
    )
    assert alone.sources[0].title == "特困人员救助供养"
    injured = await answerer.answer(
        "我老公上个月工地出事摔断了腿，现在躺在床上不能动，家里就靠他一个人挣钱，两个孩子还在上学，"
        "房租都交不起了，我真的不知道该怎么办才好"
    )
    assert "临时救助" in injured.text and "急难" in injured.text
    # a comma inside 300,000 does not cut the story into clauses that lose its point
    english = await answerer.answer(
        "My daughter has leukaemia and the treatment has cost us over 300,000 yuan. "
        "My husband earns about 7,000 a month. Can we apply?", locale="en"
    )
    assert english.sources[0].title == "Expense-type hardship households: who can apply"


async def test_figures_past_their_notice_are_said_once_not_marked_one_by_one(answerer):
    # today the 2025 notice (valid to 2026-06-01) is the newest found: until a newer value is added
    # to the parameter file, an answer quoting its figures names it once and marks none of them
    assert load_params()["dibao_standard"].expired_on == "2026-06-01"
    answer = await answerer.answer("广州低保标准是多少")
    assert answer.text.count("有效期至2026年6月1日") == 1, answer.text
    assert "现行标准请以民政部门确认为准" in answer.text
    assert text("zh", "unverified") not in answer.text
    english = await answerer.answer("What is the dibao standard in Guangzhou?", locale="en")
    assert english.text.count("valid to 1 June 2026") == 1, english.text


@pytest.mark.parametrize("story, section", [
    ("前几天台风把我家窗户玻璃全吹烂了，雨水灌进来，地板和家电都泡坏了，能申请什么救助", "急难型临时救助"),
    ("房东突然说要卖房，让我们月底搬走，我们一家四口找不到便宜的房子租", "公租房"),
    ("我是单亲妈妈，在超市做收银一个月三千，孩子有先天性心脏病要做手术，医生说要十几万", "医疗救助"),
])
async def test_a_story_the_corpus_does_not_answer_as_written_is_answered_as_its_need(answerer, story, section):
    answer = await answerer.answer(story)
    assert answer.confident and section in answer.text


def test_a_story_names_the_need_it_tells_most_and_a_short_question_only_the_which_one():
    assert need_of("家里被淹了，孩子的学费也交不起，被子家具都泡水了", "zh").name == "home"
    assert need_of("we can't pay the rent and the landlord wants us out", "en").name == "rent"
    assert need_of("家里被淹了", "zh", story=False) is None
    assert need_of("我应该申请哪一种救助", "zh", story=False).name == "which"
    assert need_of("今天天气怎么样，想出去走走", "zh") is None


async def test_a_migrant_worker_hears_of_the_residence_permit(answerer):
    for question, locale in [("我是外地来广州打工的，家里人生病花了很多钱，能认定支出型困难家庭吗", "zh"),
                             ("I'm a migrant worker living in Guangzhou. Can my family be recognised as an "
                              "expense-type hardship household?", "en")]:
        answer = await answerer.answer(question, locale=locale)
        assert answer.confident and ("居住证" in answer.text or "residence permit" in answer.text)
