"""The chat-model path, with LangChain's fake chat models: grounded in retrieved passages only."""
from __future__ import annotations

from typing import Any

import pytest
from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.language_models import BaseChatModel
from langchain_core.language_models.fake_chat_models import FakeListChatModel, FakeMessagesListChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatResult

from knowledge.answerer import build_answerer
from knowledge.grounded import NO_ANSWER
from knowledge.texts import text

QUESTION = "孩子的学费算不算刚性支出？"


class PromptRecorder(BaseCallbackHandler):
    """Keeps every prompt a chat model is started with."""

    run_inline = True

    def __init__(self) -> None:
        self.prompts: list[list[BaseMessage]] = []

    def on_chat_model_start(self, serialized: dict[str, Any], messages: list[list[BaseMessage]], **kwargs: Any) -> None:
        self.prompts.extend(messages)


class BrokenChatModel(BaseChatModel):
    """A chat model whose provider is unreachable."""

    def _generate(self, messages, stop=None, run_manager=None, **kwargs) -> ChatResult:
        raise ConnectionError("provider unreachable")

    @property
    def _llm_type(self) -> str:
        return "broken"


def answerer_with(responses: list[str], recorder: PromptRecorder, **kwargs):
    model = FakeMessagesListChatModel(responses=[AIMessage(r) for r in responses], callbacks=[recorder])
    return build_answerer(llm=model, **kwargs)


@pytest.fixture
def recorder() -> PromptRecorder:
    return PromptRecorder()


async def test_the_prompt_carries_only_the_retrieved_passages(recorder, index):
    answerer = answerer_with(["全日制学历教育的学费算刚性支出，但要扣除助学金[1]。"], recorder)
    hits = answerer.retriever.search(QUESTION).hits
    await answerer.answer(QUESTION)
    assert len(recorder.prompts) == 1
    system, user = recorder.prompts[0]
    assert "只能根据" in system.content and NO_ANSWER in system.content
    for number, hit in enumerate(hits, start=1):
        assert f"[{number}]《{hit.chunk.document.title}》" in user.content
        assert hit.chunk.text in user.content
    assert f"[{len(hits) + 1}]" not in user.content
    retrieved = {hit.chunk.chunk_id for hit in hits}
    others = [
        c for c in index.chunks
        if c.chunk_id not in retrieved and not any(c.text in h.chunk.text for h in hits)
    ]
    assert others and not any(c.text in user.content for c in others)
    assert user.content.endswith(f"问题：{QUESTION}")


async def test_the_answer_keeps_its_citations_and_names_the_cited_documents(recorder):
    reply = "全日制学历教育的学费算刚性支出[1]，课外补习班不算[1]。"
    answerer = answerer_with([reply], recorder)
    first = answerer.retriever.search(QUESTION).hits[0].chunk.document
    answer = await answerer.answer(QUESTION)
    assert answer.confident
    assert answer.text.startswith(reply)
    assert f"[1]《{first.title}》（{first.source}，{first.effective_date}起）" in answer.text
    assert [s.title for s in answer.sources] == [first.title]


async def test_the_model_saying_the_passages_do_not_answer_falls_back(recorder, unanswered):
    calls, record = unanswered
    answer = await answerer_with([NO_ANSWER], recorder, on_unanswered=record).answer(QUESTION)
    assert not answer.confident and answer.text == text("zh", "not_sure")
    assert calls == [(QUESTION, "zh")]


async def test_an_unsupported_question_never_reaches_the_model(recorder, unanswered):
    calls, record = unanswered
    answerer = answerer_with(["不该被用到的回答[1]"], recorder, on_unanswered=record)
    answer = await answerer.answer("what is the capital of France", locale="en")
    assert not answer.confident and answer.text == text("en", "not_sure")
    assert recorder.prompts == []
    assert calls == [("what is the capital of France", "en")]


@pytest.mark.parametrize(
    "reply",
    [
        "学费算刚性支出。",  # cites nothing
        "学费算刚性支出[9]。",  # cites a passage it was not given
        "学费每年最多算5000元[1]。",  # a figure no passage states
    ],
)
async def test_an_ungrounded_reply_gives_way_to_the_extractive_answer(recorder, reply):
    extractive = await build_answerer().answer(QUESTION)
    answer = await answerer_with([reply], recorder).answer(QUESTION)
    assert recorder.prompts
    assert answer == extractive


async def test_a_failing_model_gives_way_to_the_extractive_answer():
    extractive = await build_answerer().answer(QUESTION)
    assert await build_answerer(llm=BrokenChatModel()).answer(QUESTION) == extractive


async def test_english_questions_ask_for_an_english_answer(recorder):
    model = FakeListChatModel(responses=["Full-time tuition counts, after grants are deducted [1]."], callbacks=[recorder])
    answer = await build_answerer(llm=model).answer("does my child's tuition count as rigid expenditure?", locale="en")
    assert "Answer in English" in recorder.prompts[0][0].content
    assert answer.confident and "Sources:" in answer.text and "[1] 《" in answer.text


def test_a_base_url_and_model_configure_an_openai_compatible_client():
    from langchain_openai import ChatOpenAI

    answerer = build_answerer(llm_base_url="http://127.0.0.1:9/v1", llm_model="local-model", llm_api_key="k")
    assert isinstance(answerer.llm, ChatOpenAI)
    assert answerer.llm.model_name == "local-model" and answerer.llm.openai_api_base == "http://127.0.0.1:9/v1"
    assert build_answerer().llm is None

