"""The policy index as a LangChain retriever."""
from __future__ import annotations

from langchain_core.callbacks import (
    AsyncCallbackManagerForRetrieverRun,
    CallbackManagerForRetrieverRun,
)
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from knowledge.index import Hit, PolicyIndex, Retrieval
from knowledge.tokens import Query


def hit_document(hit: Hit) -> Document:
    """A retrieved chunk as a LangChain document, with where it comes from in the metadata."""
    chunk = hit.chunk
    return Document(
        page_content=chunk.text,
        id=chunk.chunk_id,
        metadata={
            "doc_id": chunk.document.doc_id,
            "title": chunk.document.title,
            "section": chunk.section,
            "region": chunk.document.region,
            "source": chunk.document.source,
            "effective_date": chunk.document.effective_date,
            "params": list(chunk.params),
            "score": hit.score,
        },
    )


class PolicyRetriever(BaseRetriever):
    """Finds the policy passages for a question (BM25 over jieba and pinyin tokens)."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    index: PolicyIndex
    k: int = 4
    per_document: int = 2

    def search(self, query: str, k: int | None = None) -> Retrieval:
        """Scored hits and the confidence of the best, for callers that need more than documents."""
        return self.index.search(query, k or self.k, per_document=self.per_document)

    def search_query(self, query: Query) -> Retrieval:
        """`search` for a question already cut into tokens and concepts."""
        return self.index.search_query(query, self.k, per_document=self.per_document)

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        return [hit_document(hit) for hit in self.search(query).hits]

    async def _aget_relevant_documents(
        self, query: str, *, run_manager: AsyncCallbackManagerForRetrieverRun
    ) -> list[Document]:
        # a search takes well under a millisecond; handing it to a thread would cost more
        return [hit_document(hit) for hit in self.search(query).hits]
