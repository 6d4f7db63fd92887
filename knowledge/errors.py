"""Errors of the knowledge base; one root so callers can catch them together."""
from __future__ import annotations


class KnowledgeError(Exception):
    """Root of every knowledge-base error; `code` says what kind (edges map it)."""

    code = "invalid"


class MalformedDocument(KnowledgeError):
    """A corpus document lacks front matter fields or has an unreadable placeholder."""

    def __init__(self, document: str, reason: str) -> None:
        super().__init__(f"{document}: {reason}")
        self.document = document
        self.reason = reason


class UnknownParameter(KnowledgeError):
    """A placeholder names a parameter that the parameter file does not have."""

    def __init__(self, name: str, document: str) -> None:
        super().__init__(f"{document}: no policy parameter named {name!r}")
        self.name = name
        self.document = document


class UnknownDocument(KnowledgeError):
    """An evaluation question expects a document that the corpus does not have."""

    def __init__(self, doc_id: str, line: int) -> None:
        super().__init__(f"line {line}: no corpus document {doc_id!r}")
        self.doc_id = doc_id
        self.line = line
