"""Extractive answers: the units of the best passages that speak to the question, shaped by its intent."""
from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.chunks import Chunk
from knowledge.english import EnglishTokenizer
from knowledge.index import Hit, PolicyIndex, Retrieval
from knowledge.intent import DEFINING_HEADING, TELLS_APART, Intent

MAX_UNITS = 3
MAX_CHARS = 280
# a list is quoted whole, up to this many items (the longest list in the corpus has 8)
MAX_LIST_UNITS = 14
# a "can I" answer quotes the condition that decides it, the rest is the next step
CONDITION_UNITS = 2
# choosing the section of the first document to quote: its best passage's score (share of the
# document's best) plus this much for a heading that names the question's concepts ...
HEADING_WEIGHT = 0.6
# ... plus this much when the section has the shape the question asks for (a list, a figure)
SHAPE_WEIGHT = 0.5
DEFINE_WEIGHT = 1.0
BODY_WEIGHT = 0.5
TITLE_CONCEPT_SHARE = 0.3
LIST_ITEMS = 3
# English takes about this many letters for what one Chinese character says
ENGLISH_CHARACTERS = 3
NEGATED_HEADING_SHARE = 0.5
# a second document is quoted when its best passage scores this close to the first (tuning half)
SECOND_DOCUMENT_SHARE = 0.7
NEGATED_SECTION_SHARE = 0.6
HEADING_PRECISION_POWER = 0.5
_REFERENCE = re.compile(r"见《([^》]+)》|see \"([^\"]+)\"", re.IGNORECASE)
_NEGATION = re.compile(r"不|没|唔|冇|\bnot?\b|n't")
# an explanation quotes its whole section when the section is this short, a "can I" answer too
WHOLE_SECTION_CHARS = 320
WHOLE_CONDITION_CHARS = 200


@dataclass(frozen=True, slots=True)
class Excerpt:
    """Units quoted from one section, in their order in the section."""

    chunk: Chunk
    units: tuple[str, ...]
    params: tuple[str, ...]
    # the figures each unit quotes, so an answer that shows some units cites only their figures
    unit_params: tuple[tuple[str, ...], ...] = ()
    # the index's tokens of each unit, for telling which units say most about the question
    unit_tokens: tuple[frozenset[str], ...] = ()


def select_excerpts(index: PolicyIndex, retrieval: Retrieval, intent: Intent = Intent.EXPLAIN) -> list[Excerpt]:
    """The passages an answer quotes: a whole list, the figures asked for, a condition, or an explanation."""
    if not retrieval.hits:
        return []
    top = _best_section(index, retrieval, intent)
    weights = list(retrieval.weights)
    section_length = sum(len(u) for u, _, _ in _section_units(index, top)) / _scale(index)
    if intent is Intent.LIST:
        chosen = [_whole_section(index, top)]
    elif intent is Intent.AMOUNT and _figure_list(index, top):
        # a list of figures (what each kind of case can get) is quoted whole: one item alone misleads
        chosen = [_whole_section(index, top)]
    elif intent is Intent.AMOUNT:
        chosen = [_excerpt(index, retrieval, weights, top, MAX_UNITS, need_figure=True)]
    elif intent is Intent.CAN:
        if section_length <= WHOLE_CONDITION_CHARS:
            chosen = [_whole_section(index, top)]
        else:
            chosen = [_excerpt(index, retrieval, weights, top, CONDITION_UNITS)]
    elif section_length <= WHOLE_SECTION_CHARS:
        chosen = [_whole_section(index, top)]
    else:
        chosen = [_excerpt(index, retrieval, weights, top, MAX_UNITS)]
    figure = intent is Intent.AMOUNT
    # a second document that answers about as well is quoted too, unless it is another programme's
    # (低保's publicity days after the application's own time limits would mix two answers)
    # (低保's publicity days after the application's own time limits would mix two answers); a question
    # that tells two things apart (特困和低保有啥不一样) gets the other one's definition
    named = [p for p in index.named_documents(retrieval.query) if index.chunks[p].document.doc_id != top.chunk.document.doc_id]
    if intent is Intent.DEFINE and named and TELLS_APART.search(index.tokenizer.normalise(retrieval.query.text)):
        chosen.append(_definition(index, Hit(index.chunks[named[0]], 0.0, named[0])))
    for hit in retrieval.hits[1:] if len(chosen) == 1 else ():
        if hit.chunk.document.doc_id != top.chunk.document.doc_id:
            if hit.score >= SECOND_DOCUMENT_SHARE * top.score and not hit.chunk.document.programme:
                chosen.append(_excerpt(index, retrieval, weights, hit, MAX_UNITS - 1, need_figure=figure))
            break
    # a quoted passage that sends the resident to another document (见《对结果有异议怎么办》) brings
    # that document's passage for the question along, so the answer does not stop at a pointer
    quoted = {e.chunk.document.doc_id for e in chosen}
    for title in _references(chosen[0]):
        positions = index.titled(title)
        if positions and index.chunks[positions[0]].document.doc_id not in quoted:
            position = max(positions, key=lambda p: retrieval.scores[p])
            hit = Hit(index.chunks[position], float(retrieval.scores[position]), position)
            if sum(len(u) for u, _, _ in _section_units(index, hit)) / _scale(index) <= WHOLE_CONDITION_CHARS:
                chosen.append(_whole_section(index, hit))
            else:
                chosen.append(_excerpt(index, retrieval, weights, hit, MAX_UNITS - 1, need_figure=figure))
            break
    return chosen


def _definition(index: PolicyIndex, hit: Hit) -> Excerpt:
    """The first unit of the section that defines what the hit's document is about (else of its own section)."""
    for positions in index.document_sections(hit.position):
        if DEFINING_HEADING.search(index.chunks[positions[0]].section):
            hit = Hit(index.chunks[positions[0]], hit.score, positions[0])
            break
    whole = _whole_section(index, hit)
    return Excerpt(whole.chunk, whole.units[:1], whole.unit_params[:1] and whole.unit_params[0],
                   whole.unit_params[:1], whole.unit_tokens[:1])


def _references(excerpt: Excerpt) -> list[str]:
    """The titles of the documents an excerpt refers the resident to."""
    return [m.group(1) or m.group(2) for unit in excerpt.units for m in _REFERENCE.finditer(unit)]


def _best_section(index: PolicyIndex, retrieval: Retrieval, intent: Intent) -> Hit:
    """The passage of the first document whose section best answers the question, by score, heading and shape."""
    first = retrieval.hits[0]
    scores = retrieval.scores
    best = max(float(scores[p]) for positions in index.document_sections(first.position) for p in positions)
    if best <= 0:
        return first
    sections = index.document_sections(first.position)
    title = index.title_tokens(first.position)
    named = all(c.match(title) >= 1.0 for c in retrieval.query.concepts)
    if intent in (Intent.EXPLAIN, Intent.LIST, Intent.DEFINE) and named:
        # the question names only what the document is about (什么叫临时救助): its opening section
        # answers it, or for a list question its first list
        fitting = [positions for positions in sections if _fits(index, positions, intent)] or sections
        if intent is Intent.LIST:
            # ... the first list that says what counts, or what does not when that is asked
            asked_negated = bool(_NEGATION.search(retrieval.query.text))
            fitting = [
                positions for positions in fitting
                if bool(_NEGATION.search(index.chunks[positions[0]].section)) == asked_negated
            ] or fitting
        return Hit(index.chunks[fitting[0][0]], float(scores[fitting[0][0]]), fitting[0][0])
    chosen, chosen_value = first, -1.0
    asked = frozenset(retrieval.query.tokens)
    # what the document's title already says (刚性支出 in 哪些支出算刚性支出) does not tell its sections apart
    weights = [
        w * (TITLE_CONCEPT_SHARE if c.match(title) >= 1.0 else 1.0)
        for c, w in zip(retrieval.query.concepts, retrieval.weights)
    ]
    for positions in sections:
        position = max(positions, key=lambda p: scores[p])
        value = float(scores[position]) / best
        heading_tokens = index.heading_tokens(position)
        # how much of the question the heading names, times how much of the heading is about the question
        heading = index.coverage(retrieval.query, heading_tokens, weights)
        if heading_tokens:
            heading *= (len(heading_tokens & asked) / len(heading_tokens)) ** HEADING_PRECISION_POWER
        # a heading about what does not count or cannot be done answers only a question that asks so
        # a list of what does not count answers only a question about what does not count, and back
        negated = bool(_NEGATION.search(index.chunks[position].section)) != bool(_NEGATION.search(retrieval.query.text))
        if intent is Intent.LIST and negated:
            heading *= NEGATED_HEADING_SHARE
        value += HEADING_WEIGHT * heading
        # a definition is what "what is / the difference" asks for, whatever else the section scores
        value += (DEFINE_WEIGHT if intent is Intent.DEFINE else SHAPE_WEIGHT) * _fits(index, positions, intent)
        # the section's own sentences naming what was asked (房贷 in the list of what does not count)
        value += BODY_WEIGHT * index.coverage(retrieval.query, index.section_tokens(position), weights)
        if intent is Intent.LIST and negated:
            value *= NEGATED_SECTION_SHARE  # "what counts" wants the counted list, not its complement
        if value > chosen_value:
            chosen, chosen_value = Hit(index.chunks[position], float(scores[position]), position), value
    return chosen


def _scale(index: PolicyIndex) -> int:
    """How many characters of this index's language say what one Chinese character says."""
    return ENGLISH_CHARACTERS if isinstance(index.tokenizer, EnglishTokenizer) else 1


def _fits(index: PolicyIndex, positions: list[int], intent: Intent) -> bool:
    chunks = [index.chunks[p] for p in positions]
    if intent is Intent.LIST:
        return sum(u.startswith("· ") for c in chunks for u in c.units) >= LIST_ITEMS
    if intent is Intent.AMOUNT:
        return any(c.params for c in chunks)
    if intent is Intent.DEFINE:
        return bool(DEFINING_HEADING.search(chunks[0].section))
    return False


def _figure_list(index: PolicyIndex, hit: Hit) -> bool:
    """Whether the hit's section is a list whose items mostly quote figures."""
    items = [names for unit, names, _ in _section_units(index, hit) if unit.startswith("· ")]
    return len(items) >= LIST_ITEMS and sum(bool(n) for n in items) * 2 > len(items)


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
    return Excerpt(hit.chunk, tuple(u for u, _, _ in units), params, tuple(names for _, names, _ in units),
                   tuple(tokens for _, _, tokens in units))


def _excerpt(
    index: PolicyIndex, retrieval: Retrieval, weights: list[float], hit: Hit, limit: int, *, need_figure: bool = False
) -> Excerpt:
    units = _section_units(index, hit)
    concepts = retrieval.query.concepts
    scores = [sum(w * c.match(tokens) for w, c in zip(weights, concepts)) for _, _, tokens in units]
    ranked = sorted(range(len(units)), key=lambda i: (-scores[i], i))
    if need_figure:
        # units that quote a figure go first: a "how much" answer must carry the number
        ranked = [i for i in ranked if units[i][1]] + [i for i in ranked if not units[i][1]]
    picked: list[int] = []
    length = 0
    for i in ranked:
        if len(picked) >= limit or (picked and scores[i] <= 0 and not (need_figure and units[i][1])):
            break
        if picked and length + len(units[i][0]) > MAX_CHARS * _scale(index):
            continue
        picked.append(i)
        length += len(units[i][0])
    picked.sort()
    params = tuple(dict.fromkeys(n for i in picked for n in units[i][1]))
    return Excerpt(hit.chunk, tuple(units[i][0] for i in picked), params, tuple(units[i][1] for i in picked),
                   tuple(units[i][2] for i in picked))
