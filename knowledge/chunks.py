"""Chunking: documents split by Markdown section, long sections split again, figures filled in."""
from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.documents import PolicyDocument
from knowledge.figures import render_figures
from knowledge.params import PolicyParams

CHUNK_SIZE = 320
CHUNK_OVERLAP = 40
# Chinese sentence ends before commas; no space separator, so a placeholder is never cut in two
SEPARATORS = ["\n\n", "\n", "。", "；", "！", "？", "，", ""]
# English passages are cut between sentences and words, never inside a word
ENGLISH_SEPARATORS = ["\n\n", "\n", ". ", "; ", ", ", " ", ""]
HEADERS = [("#", "title"), ("##", "section"), ("###", "subsection")]
# a line longer than this is split into sentences when answers quote it
LONG_LINE = 120
_SENTENCE_END = re.compile(r"(?<=[。！？；!?;])")
_BULLET = re.compile(r"^\s*[-*+]\s+")


@dataclass(frozen=True, slots=True)
class Chunk:
    """A passage of one document: where it sits, its text, and the figures it quotes."""

    chunk_id: str
    document: PolicyDocument
    section: str
    text: str
    units: tuple[str, ...]
    # the parameters each unit quotes, so an answer cites only the figures it shows
    unit_params: tuple[tuple[str, ...], ...]

    @property
    def params(self) -> tuple[str, ...]:
        """Every parameter this chunk quotes."""
        return tuple(dict.fromkeys(name for names in self.unit_params for name in names))


def quote_units(text: str) -> tuple[str, ...]:
    """The pieces an answer may quote: list items and short lines whole, other long lines by sentence."""
    units: list[str] = []
    for raw in text.splitlines():
        line = _BULLET.sub("· ", raw.replace("**", "")).strip()
        if not line:
            continue
        # a list item is quoted whole, however long: half an item reads as a different rule
        if len(line) <= LONG_LINE or line.startswith("· "):
            units.append(line)
            continue
        units.extend(s.strip() for s in _SENTENCE_END.split(line) if s.strip())
    return tuple(units)


def chunk_documents(
    documents: list[PolicyDocument],
    params: PolicyParams,
    *,
    chunk_size: int = CHUNK_SIZE,
    chunk_overlap: int = CHUNK_OVERLAP,
    separators: list[str] | None = None,
) -> list[Chunk]:
    """Split every document into chunks with the current policy figures rendered in."""
    # imported here: a process that loads a saved index never splits a document (nor loads LangChain)
    from langchain_text_splitters import MarkdownHeaderTextSplitter, RecursiveCharacterTextSplitter

    by_header = MarkdownHeaderTextSplitter(HEADERS, strip_headers=True)
    by_length = RecursiveCharacterTextSplitter(
        chunk_size=chunk_size, chunk_overlap=chunk_overlap, separators=separators or SEPARATORS,
        keep_separator="end",
    )
    chunks: list[Chunk] = []
    for document in documents:
        number = 0
        for part in by_header.split_text(document.body):
            section = " · ".join(
                part.metadata[key] for key in ("section", "subsection") if part.metadata.get(key)
            )
            # placeholders are filled per piece so each chunk knows which figures it quotes
            for piece in by_length.split_text(part.page_content):
                # units never cut a placeholder (it holds no sentence mark), so each renders alone
                units = [render_figures(u, params, document=document.doc_id) for u in quote_units(piece)]
                number += 1
                chunks.append(
                    Chunk(
                        chunk_id=f"{document.doc_id}#{number}",
                        document=document,
                        section=section,
                        text=render_figures(piece, params, document=document.doc_id).text,
                        units=tuple(u.text for u in units),
                        unit_params=tuple(u.params for u in units),
                    )
                )
    return chunks
