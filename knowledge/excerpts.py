"""Extractive answers: the units of the best passages that speak to the question."""
from __future__ import annotations

from dataclasses import dataclass

from knowledge.chunks import Chunk
from knowledge.index import Hit, PolicyIndex, Retrieval

MAX_UNITS = 3
MAX_CHARS = 280
# a second document is quoted when its best passage scores this close to the first
SECOND_DOCUMENT_SHARE = 0.9


@dataclass(frozen=True, slots=True)
class Excerpt:
    """Units quoted from one chunk, in their order in the chunk."""

    chunk: Chunk
    units: tuple[str, ...]
    params: tuple[str, ...]


def select_excerpts(index: PolicyIndex, retrieval: Retrieval) -> list[Excerpt]:
    """The best passage condensed, plus a second document's when it is nearly as good."""
    if not retrieval.hits:
        return []
    weights = [index.weight(c) for c in retrieval.query.concepts]
    top = retrieval.hits[0]
    chosen = [_excerpt(index, retrieval, weights, top, MAX_UNITS)]
    for hit in retrieval.hits[1:]:
        if hit.chunk.document.doc_id != top.chunk.document.doc_id:
            if hit.score >= SECOND_DOCUMENT_SHARE * top.score:
                chosen.append(_excerpt(index, retrieval, weights, hit, MAX_UNITS - 1))
            break
    return chosen


def _excerpt(
    index: PolicyIndex, retrieval: Retrieval, weights: list[float], hit: Hit, limit: int
) -> Excerpt:
    chunk = hit.chunk
    concepts = retrieval.query.concepts
    scores = [
        sum(w * c.match(tokens) for w, c in zip(weights, concepts))
        for tokens in index.unit_tokens(hit.position)
    ]
    ranked = sorted(range(len(chunk.units)), key=lambda i: (-scores[i], i))
    picked: list[int] = []
    length = 0
    for i in ranked:
        if len(picked) >= limit or (picked and scores[i] <= 0):
            break
        if picked and length + len(chunk.units[i]) > MAX_CHARS:
            continue
        picked.append(i)
        length += len(chunk.units[i])
    picked.sort()
    params = tuple(dict.fromkeys(n for i in picked for n in chunk.unit_params[i]))
    return Excerpt(chunk, tuple(chunk.units[i] for i in picked), params)
