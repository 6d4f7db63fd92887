"""Extractive answers: the units of the best passages that speak to the question, shaped by its intent."""
from __future__ import annotations

from dataclasses import dataclass

from knowledge.chunks import Chunk
from knowledge.index import Hit, PolicyIndex, Retrieval
from knowledge.intent import Intent

MAX_UNITS = 3
MAX_CHARS = 280
# a list is quoted whole, up to this many items (the longest list in the corpus has 8)
MAX_LIST_UNITS = 14
# a "can I" answer quotes the condition that decides it, the rest is the next step
CONDITION_UNITS = 2
# a second document is quoted when its best passage scores this close to the first
SECOND_DOCUMENT_SHARE = 0.9


@dataclass(frozen=True, slots=True)
class Excerpt:
    """Units quoted from one section, in their order in the section."""

    chunk: Chunk
    units: tuple[str, ...]
    params: tuple[str, ...]


def select_excerpts(index: PolicyIndex, retrieval: Retrieval, intent: Intent = Intent.EXPLAIN) -> list[Excerpt]:
    """The passages an answer quotes: a whole list, the figures asked for, a condition, or an explanation."""
    if not retrieval.hits:
        return []
    top = retrieval.hits[0]
    if intent is Intent.LIST:
        return [_whole_section(index, top)]
    weights = [index.weight(c) for c in retrieval.query.concepts]
    if intent is Intent.AMOUNT:
        return [_excerpt(index, retrieval, weights, top, MAX_UNITS, need_figure=True)]
    if intent is Intent.CAN:
        return [_excerpt(index, retrieval, weights, top, CONDITION_UNITS)]
    chosen = [_excerpt(index, retrieval, weights, top, MAX_UNITS)]
    for hit in retrieval.hits[1:]:
        if hit.chunk.document.doc_id != top.chunk.document.doc_id:
            if hit.score >= SECOND_DOCUMENT_SHARE * top.score:
                chosen.append(_excerpt(index, retrieval, weights, hit, MAX_UNITS - 1))
            break
    return chosen


def _section_units(index: PolicyIndex, hit: Hit) -> list[tuple[str, tuple[str, ...], frozenset[str]]]:
    """Every unit of the hit's section once (chunks overlap), with its figures and tokens."""
    units: dict[str, tuple[str, tuple[str, ...], frozenset[str]]] = {}
    for position in index.section_positions(hit.position):
        chunk = index.chunks[position]
        for unit, params, tokens in zip(chunk.units, chunk.unit_params, index.unit_tokens(position)):
            units.setdefault(unit, (unit, params, tokens))
    return list(units.values())


def _whole_section(index: PolicyIndex, hit: Hit) -> Excerpt:
    units = _section_units(index, hit)[:MAX_LIST_UNITS]
    params = tuple(dict.fromkeys(n for _, names, _ in units for n in names))
    return Excerpt(hit.chunk, tuple(u for u, _, _ in units), params)


def _excerpt(
    index: PolicyIndex, retrieval: Retrieval, weights: list[float], hit: Hit, limit: int, *, need_figure: bool = False
) -> Excerpt:
    units = _section_units(index, hit)
    concepts = retrieval.query.concepts
    scores = [sum(w * c.match(tokens) for w, c in zip(weights, concepts)) for _, _, tokens in units]
    ranked = sorted(range(len(units)), key=lambda i: (-scores[i], i))
    if need_figure:
        # the best unit that quotes a figure goes first: a "how much" answer must carry the number
        with_figure = [i for i in ranked if units[i][1]]
        if with_figure:
            ranked.remove(with_figure[0])
            ranked.insert(0, with_figure[0])
    picked: list[int] = []
    length = 0
    for i in ranked:
        if len(picked) >= limit or (picked and scores[i] <= 0):
            break
        if picked and length + len(units[i][0]) > MAX_CHARS:
            continue
        picked.append(i)
        length += len(units[i][0])
    picked.sort()
    params = tuple(dict.fromkeys(n for i in picked for n in units[i][1]))
    return Excerpt(hit.chunk, tuple(units[i][0] for i in picked), params)
