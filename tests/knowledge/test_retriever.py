"""The LangChain retriever over the policy index."""
from __future__ import annotations

from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever

from knowledge.retriever import PolicyRetriever


def test_it_is_a_langchain_retriever_returning_documents_with_sources(index):
    retriever = PolicyRetriever(index=index, k=3)
    assert isinstance(retriever, BaseRetriever)
    documents = retriever.invoke("孩子的学费算不算刚性支出？")
    assert 1 <= len(documents) <= 3
    assert all(isinstance(d, Document) for d in documents)
    first = documents[0].metadata
    assert {"title", "source", "effective_date", "doc_id", "section", "score"} <= set(first)
    assert {d.metadata["doc_id"] for d in documents} & {"zhichuxing-expenses", "education-assistance"}


async def test_async_invoke_gives_the_same_documents(index):
    retriever = PolicyRetriever(index=index)
    question = "低保边缘家庭收入标准多少"
    sync = retriever.invoke(question)
    asynchronous = await retriever.ainvoke(question)
    assert [d.id for d in asynchronous] == [d.id for d in sync]
    assert sync[0].metadata["doc_id"] == "dibao-edge"


def test_search_ranks_documents_and_reports_confidence(index):
    retriever = PolicyRetriever(index=index)
    found = retriever.search("低保标准是多少钱一个月")
    assert found.documents()[0] == "dibao"
    assert 0.0 < found.confidence <= 1.0
    nothing = retriever.search("what is the capital of France")
    assert nothing.hits == () and nothing.confidence == 0.0


def _document(doc_id: str, title: str, body: str, programme: tuple[str, ...] = ()):
    from knowledge.documents import PolicyDocument

    return PolicyDocument(doc_id, title, "广州市", "测试来源", "2025-01-01", body, programme=programme)


def _small_index(documents):
    from knowledge.chunks import chunk_documents
    from knowledge.index import PolicyIndex
    from knowledge.params import load_params

    return PolicyIndex(chunk_documents(documents, load_params()))


def test_a_programme_document_yields_to_the_application_unless_the_question_names_it():
    body = "## 审核要多久\n审核在三十个工作日内完成，工作人员会上门核实情况。\n"
    index = _small_index([
        _document("programme", "最低生活保障（低保）", body, ("低保", "最低生活保障")),
        _document("application", "支出型困难家庭认定的说明", body),
    ])
    # the same passage in both: a question naming no programme is about the application
    assert index.search("审核要多久").documents()[0] == "application"
    assert index.search("低保审核要多久").documents()[0] == "programme"


def test_a_programme_s_money_question_is_answered_from_that_programme(index):
    # 每个月 and 一个月 are what everyone says (临时救助 has a section on paying every month,
    # 特困 on what one month brings); 低保 is what the question is about
    retriever = PolicyRetriever(index=index)
    assert retriever.search("低保一个月能领多少钱").documents()[0] == "dibao"
    assert retriever.search("吃低保的每个月能拿到几多").documents()[0] == "dibao"


def test_a_sound_alike_passage_does_not_vouch_for_a_question_nothing_answers(index):
    # 一首 sounds like 已收 (of 已收集), 诗 like nothing the corpus says
    found = PolicyRetriever(index=index).search("帮我写一首诗")
    assert found.confidence < 0.46


def test_a_compound_is_not_pieced_together_from_different_sentences(index):
    # 护 (of 保护) and 照 (of 照片) are in the corpus, never together
    found = PolicyRetriever(index=index).search("怎么申请护照")
    assert found.confidence < 0.46
    # a compound whose characters do stand together still counts (一套 of 最多1套住房)
    assert PolicyRetriever(index=index).search("有两套房还能申请吗").confidence >= 0.46
