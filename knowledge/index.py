"""BM25 index over policy chunks, with a coverage-based confidence for the best passage."""
from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import bm25s
import numpy as np

from knowledge.chunks import Chunk
from knowledge.english import EnglishTokenizer
from knowledge.tokens import Concept, Query, Tokenizer, shared_tokenizer

# one Chinese character is a weak topic (要, 看, 钱), however rare it is in the corpus
SINGLE_CHARACTER_WEIGHT = 0.4
# words about as common as 家里 or 一个月 (jieba counts) carry no topic of their own
EVERYDAY_SPECIFICITY = 8.0
MIN_UNKNOWN_WEIGHT = 0.3
# a known word weighs its idf times a share growing from MIN_GENERIC_SHARE (everyday words, about
# GENERIC_SPECIFICITY nats) to 1 (words SPECIFICITY_SPAN nats rarer, like 低保 or 房贷)
GENERIC_SPECIFICITY = 6.0
SPECIFICITY_SPAN = 5.0
MIN_GENERIC_SHARE = 0.35
# an everyday word counts at least this share of its BM25 score when documents are ranked
MIN_SEARCH_SHARE = 0.7
# the first documents (those scoring at least RERANK_SHARE of the best) are ranked again by their
# score (share of the best) plus COVERAGE_WEIGHT times the share of the question their passages cover
RERANKED_DOCUMENTS = 3
RERANK_SHARE = 0.5
COVERAGE_WEIGHT = 1.0
# a programme's document (低保) ranks at this share when the question does not name the programme
UNNAMED_PROGRAMME_SHARE = 0.8
# how much a document's other passages add to its best one when documents are ranked
DOCUMENT_SUM_WEIGHT = 0.2


@dataclass(frozen=True, slots=True)
class Hit:
    """A retrieved chunk, its BM25 score and its position in the index."""

    chunk: Chunk
    score: float
    position: int


@dataclass(frozen=True, slots=True)
class Retrieval:
    """What a search found; `confidence` is the weighted share of the question the first document covers."""

    query: Query
    hits: tuple[Hit, ...]
    confidence: float
    # the BM25 score of every chunk, by position (empty when nothing was searched)
    scores: np.ndarray = field(default_factory=lambda: np.zeros(0))
    # how much each of the query's concepts matters (`PolicyIndex.weight`), in order
    weights: tuple[float, ...] = ()

    def documents(self) -> list[str]:
        """Document ids in rank order, each once."""
        return list(dict.fromkeys(hit.chunk.document.doc_id for hit in self.hits))


class PolicyIndex:
    """Chunks indexed for Chinese BM25 search; build once, search from any task."""

    def __init__(self, chunks: Sequence[Chunk], tokenizer: Tokenizer | EnglishTokenizer | None = None) -> None:
        # chunks of one document side by side, so per-document sums are slices (np.add.reduceat)
        order = {doc: n for n, doc in enumerate(dict.fromkeys(c.document.doc_id for c in chunks))}
        self.chunks = sorted(chunks, key=lambda c: order[c.document.doc_id])
        self.tokenizer = tokenizer or shared_tokenizer()
        headings: dict[str, list[str]] = {}
        corpus: list[list[str]] = []
        self._unit_tokens: list[tuple[frozenset[str], ...]] = []
        self._heading_tokens: list[frozenset[str]] = []
        sections: dict[str, frozenset[str]] = {}
        for chunk in self.chunks:
            # title and section heading are indexed with every chunk, the heading twice: residents
            # ask in heading words ("孩子学费算不算"), and a heading names what the passage is about
            heading = f"{chunk.document.title}\n{chunk.section}\n{chunk.section}"
            if heading not in headings:
                headings[heading] = self.tokenizer.document_tokens(heading)
            if chunk.section not in sections:
                sections[chunk.section] = frozenset(self.tokenizer.document_tokens(chunk.section))
            self._heading_tokens.append(sections[chunk.section])
            units = [self.tokenizer.document_tokens(unit) for unit in chunk.units]
            self._unit_tokens.append(tuple(frozenset(u) for u in units))
            corpus.append([*headings[heading], *(t for u in units for t in u)])
        self._chunk_tokens = [frozenset(tokens) for tokens in corpus]
        self._bm25 = bm25s.BM25()
        if corpus:
            self._bm25.index(corpus, show_progress=False)
        self._vocab: dict[str, int] = self._bm25.vocab_dict if corpus else {}
        count = len(self.chunks)
        frequency = Counter(t for tokens in self._chunk_tokens for t in tokens)
        self._idf = {t: _idf(count, df) for t, df in frequency.items()}
        self._unseen_idf = _idf(count, 0)
        self._sections: dict[tuple[str, str], list[int]] = {}
        for position, chunk in enumerate(self.chunks):
            self._sections.setdefault((chunk.document.doc_id, chunk.section), []).append(position)
        # every token of a section's quotable text, for choosing which section answers
        self._section_tokens = {
            key: frozenset().union(*(t for p in positions for t in self._unit_tokens[p]))
            for key, positions in self._sections.items()
        }
        self._title_tokens = {
            c.document.doc_id: frozenset(self.tokenizer.document_tokens(c.document.title)) for c in self.chunks
        }
        # a document's chunk positions by its title, for answers that follow a reference (见《临时救助》)
        self._titled: dict[str, list[int]] = {}
        for position, chunk in enumerate(self.chunks):
            self._titled.setdefault(chunk.document.title, []).append(position)
        self._document_sections: dict[str, list[list[int]]] = {}
        for (doc, _), positions in self._sections.items():
            self._document_sections.setdefault(doc, []).append(positions)
        owners = [c.document.doc_id for c in self.chunks]
        self._starts = np.array([i for i, d in enumerate(owners) if i == 0 or owners[i - 1] != d], dtype=np.int64)
        self._ends = np.append(self._starts[1:], len(owners))
        # each programme's names, as the concepts a question must mention to name it, and its documents
        programmes: dict[tuple[str, ...], list[int]] = {}
        for doc, start in enumerate(self._starts):
            names = self.chunks[int(start)].document.programme
            if names:
                programmes.setdefault(names, []).append(doc)
        self._programmes = [
            ([self.tokenizer.query(name).concepts for name in names], np.array(docs))
            for names, docs in programmes.items()
        ]

    def __len__(self) -> int:
        return len(self.chunks)

    def search(self, text: str, k: int = 5, *, per_document: int = 2) -> Retrieval:
        """The best chunks for a question: documents best first, up to `per_document` chunks each."""
        return self.search_query(self.tokenizer.query(text), k, per_document=per_document)

    def search_query(self, query: Query, k: int = 5, *, per_document: int = 2) -> Retrieval:
        """`search` for a question already cut into tokens and concepts."""
        known = [t for t in query.tokens if t in self._vocab]
        for concept in query.concepts:
            # a compound no passage uses (有车) is searched by its characters (车 of 机动车)
            if concept.characters and not any(t in self._vocab for t in (*concept.exact, *concept.parts)):
                known.extend(c for c in concept.characters if c in self._vocab and c not in known)
        if not known or not self.chunks:
            return Retrieval(query, (), 0.0)
        scores = self._scores(query, known)
        best = np.maximum.reduceat(scores, self._starts)
        total = np.add.reduceat(scores, self._starts)
        # a document that answers in several passages is more likely about the question than one
        # that mentions its words once in a short passage
        ranking = best + DOCUMENT_SUM_WEIGHT * (total - best)
        ranking = ranking * self._programme_shares(query)
        order = [int(d) for d in np.argsort(-ranking, kind="stable")[:k] if best[d] > 0]
        if not order:
            return Retrieval(query, (), 0.0, scores)
        passages = {doc: self._best_positions(scores, doc, per_document) for doc in order}
        weights = [self.weight(c) for c in query.concepts]
        top, first = float(ranking[order[0]]), order[0]
        # the leading documents again, by score and by how much of the question their passages cover
        leading = [d for d in order[:RERANKED_DOCUMENTS] if ranking[d] >= RERANK_SHARE * top]
        passage_tokens = {doc: frozenset().union(*(self._chunk_tokens[p] for p in passages[doc])) for doc in leading}
        covered = {doc: self.coverage(query, passage_tokens[doc], weights) for doc in leading}
        order[: len(leading)] = sorted(leading, key=lambda d: -(float(ranking[d]) / top + COVERAGE_WEIGHT * covered[d]))
        hits = [Hit(self.chunks[p], float(scores[p]), p) for doc in order for p in passages[doc]][:k]
        # confidence is the share of the question the first document's passages cover (what an answer
        # draws on); a document moved ahead on coverage counts only the words it spells out, or a
        # question nothing answers finds a passage whose sounds (已收 for 一首) happen to match
        chosen = order[0]
        confidence = self.coverage(query, passage_tokens[first], weights, units=self._passage_units(passages[first]))
        if chosen != first:
            confidence = max(confidence, self.coverage(query, passage_tokens[chosen], weights, exact=True))
        return Retrieval(query, tuple(hits), confidence, scores, tuple(weights))

    def _passage_units(self, positions: list[int]) -> list[frozenset[str]]:
        """The token sets of the sentences, headings and titles of some chunks."""
        units = [u for p in positions for u in self._unit_tokens[p]]
        units.extend(self._heading_tokens[p] | self.title_tokens(p) for p in positions)
        return units

    def _best_positions(self, scores: np.ndarray, doc: int, count: int) -> list[int]:
        start, end = int(self._starts[doc]), int(self._ends[doc])
        offsets = np.argsort(-scores[start:end], kind="stable")[:count]
        return [start + int(o) for o in offsets if scores[start + int(o)] > 0]

    def _scores(self, query: Query, known: list[str]) -> np.ndarray:
        """BM25 of every chunk, each token counted by how far the concept it spells is a topic."""
        share: dict[str, float] = {}
        for concept in query.concepts:
            value = self.topic_share(concept)
            for token in (*concept.tokens(), *concept.characters):
                share[token] = max(share.get(token, 0.0), value)
        # the index's own per-token BM25 postings, summed in one pass (bm25s sums each token with
        # np.add.at, token by token, and has no weights per token); the Lucene variant bm25s uses by
        # default gives a token absent from a chunk no score, so the postings are the whole score
        postings = self._bm25.scores
        indptr, indices, data = postings["indptr"], postings["indices"], postings["data"]
        ids = [self._vocab[t] for t in known]
        spans = [slice(int(indptr[i]), int(indptr[i + 1])) for i in ids]
        weights = np.concatenate([data[span] * share.get(t, 1.0) for t, span in zip(known, spans)])
        chunks = np.concatenate([indices[span] for span in spans])
        return np.bincount(chunks, weights=weights, minlength=len(self.chunks))

    def topic_share(self, concept: Concept) -> float:
        """How far a concept is a topic rather than an everyday word (家里, 每个月), from MIN_SEARCH_SHARE to 1."""
        specific = self.tokenizer.specificity(concept.surface)
        return min(max((specific - GENERIC_SPECIFICITY) / SPECIFICITY_SPAN, MIN_SEARCH_SHARE), 1.0)

    def named_documents(self, query: Query) -> list[int]:
        """The first chunk position of each programme document the question names (特困, 低保), in corpus order."""
        asked = frozenset(query.tokens)
        return [int(self._starts[d]) for names, documents in self._programmes
                if any(concepts and all(not c.exact.isdisjoint(asked) for c in concepts) for concepts in names)
                for d in documents]

    def _programme_shares(self, query: Query) -> np.ndarray:
        """1 for every document, less for a programme's document when the question does not name it."""
        asked = frozenset(query.tokens)
        shares = np.ones(len(self._starts))
        for names, documents in self._programmes:
            if not any(concepts and all(not c.exact.isdisjoint(asked) for c in concepts) for concepts in names):
                shares[documents] = UNNAMED_PROGRAMME_SHARE
        return shares

    def coverage(
        self,
        query: Query,
        tokens: frozenset[str],
        weights: list[float] | None = None,
        *,
        exact: bool = False,
        units: list[frozenset[str]] | None = None,
    ) -> float:
        """The idf-weighted share of the question's concepts that a passage's tokens mention.

        `exact`: only by a spelling; `units`: the passage's sentences, for `Concept.match`.
        """
        total = found = 0.0
        weights = weights if weights is not None else [self.weight(c) for c in query.concepts]
        for concept, weight in zip(query.concepts, weights):
            total += weight
            found += weight * (not concept.exact.isdisjoint(tokens) if exact else concept.match(tokens, units))
        return found / total if total else 0.0

    def weight(self, concept: Concept) -> float:
        """How much a concept matters to a question.

        Known to the corpus: the idf of its rarest spelling, less for an everyday word. Unknown: how specific the word is in
        everyday language, so 红烧肉 or 护照 weigh a lot (the corpus cannot answer them) while
        fillers the corpus happens not to use (才行, 一下子) weigh little.
        """
        known = [self._idf[t] for t in concept.exact if t in self._idf]
        if not known:
            known = [self._idf[t] for t in concept.tokens() if t in self._idf]
        if not known and concept.characters and all(c in self._idf for c in concept.characters):
            known = [self._idf[c] for c in concept.characters]
        if known:
            # a word the corpus seldom uses but everyone says (这种, 重新, 很多) is still not a topic; a
            # resident's word the vocabulary maps to the corpus's terms (没米下锅: 先行救助) is as much a
            # topic as the rarest of them (the need a story names)
            specific = max(self.tokenizer.specificity(w) for w in (concept.surface, *concept.exact)
                           if w == concept.surface or w in self._idf)
            weight = max(known) * min(max((specific - GENERIC_SPECIFICITY) / SPECIFICITY_SPAN, MIN_GENERIC_SHARE), 1.0)
        else:
            specific = self.tokenizer.specificity(concept.surface) - EVERYDAY_SPECIFICITY
            weight = min(max(specific, MIN_UNKNOWN_WEIGHT), self._unseen_idf)
        return weight * SINGLE_CHARACTER_WEIGHT if _single_character(concept.surface) else weight

    def document_sections(self, position: int) -> list[list[int]]:
        """The sections of the document of the chunk at `position`, each as its chunk positions, in order."""
        return self._document_sections[self.chunks[position].document.doc_id]

    def titled(self, title: str) -> list[int]:
        """The chunk positions of the document with this title, or the shortest title it begins
        (references cite 《对结果有异议怎么办》 for 《对结果有异议怎么办：复核、投诉与行政复议》); none when no document has it."""
        if title in self._titled:
            return self._titled[title]
        started = [t for t in self._titled if t.startswith(title)]
        return self._titled[min(started, key=len)] if started else []

    def heading_tokens(self, position: int) -> frozenset[str]:
        """The tokens of the section heading of the chunk at `position`."""
        return self._heading_tokens[position]

    def title_tokens(self, position: int) -> frozenset[str]:
        """The tokens of the title of the document of the chunk at `position`."""
        return self._title_tokens[self.chunks[position].document.doc_id]

    def section_tokens(self, position: int) -> frozenset[str]:
        """Every token of the quotable text of the section the chunk at `position` belongs to."""
        chunk = self.chunks[position]
        return self._section_tokens[(chunk.document.doc_id, chunk.section)]

    def section_positions(self, position: int) -> list[int]:
        """The positions of every chunk of the section the chunk at `position` belongs to, in order."""
        chunk = self.chunks[position]
        return self._sections[(chunk.document.doc_id, chunk.section)]

    def unit_tokens(self, position: int) -> tuple[frozenset[str], ...]:
        """The tokens of each quotable unit of the chunk at `position`."""
        return self._unit_tokens[position]


def _single_character(word: str) -> bool:
    return len(word) == 1 and "\u3400" <= word <= "\u9fff"


def _idf(count: int, frequency: int) -> float:
    # Lucene's BM25 idf, the one bm25s scores with by default
    return math.log(1 + (count - frequency + 0.5) / (frequency + 0.5))
