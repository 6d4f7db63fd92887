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
