"""Answers to residents' policy questions: extractive by default, written by a chat model if configured."""
from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from knowledge.chunks import Chunk
from knowledge.excerpts import Excerpt, select_excerpts
from knowledge.figures import format_number
from knowledge.index import Hit, PolicyIndex, Retrieval
from knowledge.intent import Intent, intent_of
from knowledge.library import load_index
from knowledge.needs import load_needs, need_of
from knowledge.params import PolicyParams, day_en, day_zh, expired_notices, load_params
from knowledge.shape import shape
from knowledge.texts import UNITS_EN, locale_of, text
from knowledge.tokens import Query

if TYPE_CHECKING:  # LangChain is loaded only with a chat model or a retriever asked for: a quicker start
    from langchain_core.language_models import BaseChatModel

    from knowledge.retriever import PolicyRetriever

log = logging.getLogger(__name__)

UnansweredCallback = Callable[[str, str], Awaitable[None]]
# share of a question's weighted concepts the best passage must cover (see PolicyIndex.coverage);
# chosen on the tuning half of knowledge/eval only (in-scope against off-topic questions): the
# highest value that keeps false "not sure" under 5 % there
DEFAULT_THRESHOLD = 0.46
# a message longer than this may carry its question among other things (a worry, a story)
LONG_MESSAGE = 40
# ... and is read clause by clause, this many clauses together, to find the need inside
CLAUSE_WINDOW = 3
# a message this long (characters; words in English) that the corpus does not answer as written is a
# story: it is answered as the need it names (knowledge.needs), if it names one
STORY_CHARACTERS = 16
STORY_WORDS = 8
# passages searched for an answer: this many, at most PER_DOCUMENT from one document
SEARCH_K = 4
PER_DOCUMENT = 2
# answers that lead with the unit most about the question; a list or a definition keeps its order
_BY_RELEVANCE = (Intent.AMOUNT, Intent.CAN, Intent.EXPLAIN, Intent.DEFINE)
# a comma or full stop inside a number (300,000 or 7.5) ends no clause
_CLAUSE_END = re.compile(r"(?<=[。！？；，!?;\n])|(?<=[,.])(?!\d)")
_LATIN_LETTER = re.compile(r"[A-Za-z]")
_CJK = re.compile(r"[\u3400-\u9fff]")


def _shown(unit: str, shown: str) -> bool:
    """Whether an answer shows (the start of) a quoted unit."""
    body = unit.removeprefix("· ").strip()
    return bool(body) and body[:12] in shown


def _story(question: str, language: str) -> bool:
    """Whether a message is long enough to tell a story (STORY_CHARACTERS, STORY_WORDS in English)."""
    return len(question.split()) > STORY_WORDS if language == "en" else len(question) > STORY_CHARACTERS


def language_of(question: str, locale: str) -> str:
    """The language to answer in: the question's own (English or Chinese); the locale when it has no words."""
    letters = len(_LATIN_LETTER.findall(question))
    characters = len(_CJK.findall(question))
    if not letters and not characters:
        return locale_of(locale)
    return "en" if letters >= 3 and letters >= 2 * characters else "zh"


@dataclass(frozen=True, slots=True)
class Source:
    """Where part of an answer comes from: a corpus document or a policy parameter."""

    title: str
    source: str
    effective_date: str

    def as_dict(self) -> dict[str, str]:
        """JSON-ready form."""
        return {"title": self.title, "source": self.source, "effective_date": self.effective_date}


@dataclass(frozen=True, slots=True)
class Answer:
    """An answer for a resident; `confident` is False when it only says it is not sure."""

    text: str
    confident: bool
    sources: list[Source]
    # whether a longer answer says more (asked for with "more")
    longer: bool = False

    def as_dict(self) -> dict[str, object]:
        """JSON-ready form, as `shanqiao ask --json` prints it."""
        return {
            "answer": self.text,
            "confident": self.confident,
            "sources": [s.as_dict() for s in self.sources],
        }


class Answerer:
    """Answers a question from the policy corpus, or says it is not sure and reports the question."""

    def __init__(
        self,
        index: PolicyIndex,
        *,
        params: PolicyParams,
        llm: BaseChatModel | None = None,
        on_unanswered: UnansweredCallback | None = None,
        threshold: float = DEFAULT_THRESHOLD,
        english: PolicyIndex | None = None,
    ) -> None:
        self.index = index
        # the English rendering of the corpus; without it English questions are answered from the Chinese
        self.english = english
        self.params = params
        self.llm = llm
        self.on_unanswered = on_unanswered
        self.threshold = threshold

    async def answer(self, question: str, locale: str = "zh", *, more: bool = False) -> Answer:
        """The answer to one question, in the question's language (the locale's if it has no words); with
        `more`, the longer answer: every line the passages give, not only the short answer's three."""
        locale = locale_of(locale)
        if not question.strip():
            return Answer(text(locale, "empty"), False, [])
        language = language_of(question, locale)
        if place := self.index.tokenizer.elsewhere(question):
            # another city's rules are not ours: say so in one sentence, and where to ask
            return Answer(text(language, "elsewhere", place=place.title() if language == "en" else place), False, [])
        intent = intent_of(self._index(language).tokenizer.normalise(question))
        if intent is Intent.ADVICE:
            # which fund to buy or which job to take is the resident's own choice, not a policy's
            return await self._not_sure(question, language)
        retrieval = self.search(question, language)
        if not retrieval.hits or retrieval.confidence < self.threshold:
            return await self._not_sure(question, language)
        if retrieval.query.text in {need.question(language) for need in load_needs()}:
            # a story answered as its need is answered as the need's question is (怎么办: the whole section)
            intent = intent_of(self._index(language).tokenizer.normalise(retrieval.query.text))
        if self.llm is not None:
            written = await self._written(question, language, retrieval)
            if written is not None:
                return written
        return self._extractive(retrieval, language, intent, more=more)

    def search(self, question: str, language: str) -> Retrieval:
        """What the corpus of a language holds for a question; a long message is also read clause by clause."""
        index = self._index(language)
        retrieval = index.search(question, SEARCH_K, per_document=PER_DOCUMENT)
        if retrieval.confidence < self.threshold and len(question) > LONG_MESSAGE:
            retrieval = self._clauses(question, index, retrieval)
        if retrieval.confidence < self.threshold:
            normalised = question.lower() if language == "en" else index.tokenizer.normalise(question)
            if need := need_of(normalised, language, story=_story(question, language)):
                routed = index.search(need.question(language), SEARCH_K, per_document=PER_DOCUMENT)
                if routed.confidence >= self.threshold:
                    return routed
        return retrieval

    def _clauses(self, question: str, index: PolicyIndex, retrieval: Retrieval) -> Retrieval:
        """The best-covered window of a long message's clauses, or the whole message's retrieval."""
        clauses = [c.strip() for c in _CLAUSE_END.split(question) if c.strip()]
        # each clause is cut into words once; a window joins its clauses' words (punctuation parts them anyway)
        parts = [index.tokenizer.query(c) for c in clauses]
        # the window that says most about something the corpus covers, among those it covers well enough
        best, best_found = retrieval, 0.0
        for start in range(len(clauses)):
            window = slice(start, start + CLAUSE_WINDOW)
            found = index.search_query(Query.joined(parts[window], "".join(clauses[window])), SEARCH_K,
                                       per_document=PER_DOCUMENT)
            if not found.hits or found.confidence < self.threshold:
                continue
            weight = found.confidence * sum(found.weights)
            if weight > best_found:
                best, best_found = found, weight
        return best

    def ranked_documents(self, question: str, k: int) -> list[str]:
        """Document ids for a question, best first, as the answer's retrieval ranks them."""
        language = language_of(question, "zh")
        retrieval = self.search(question, language)
        return self._index(language).search(retrieval.query.text, k, per_document=1).documents()

    @property
    def retriever(self) -> PolicyRetriever:
        """The Chinese index as a LangChain retriever, searching as answers do."""
        from knowledge.retriever import PolicyRetriever

        return PolicyRetriever(index=self.index, k=SEARCH_K, per_document=PER_DOCUMENT)

    def _index(self, language: str) -> PolicyIndex:
        return self.english if language == "en" and self.english is not None else self.index

    def _extractive(self, retrieval: Retrieval, locale: str, intent: Intent, *, more: bool = False) -> Answer:
        """A short answer, at most three supporting lines, then the sources on a line of their own."""
        excerpts = select_excerpts(self._index(locale), retrieval, intent)
        document = excerpts[0].chunk.document
        step = text(locale, "next_step", step=document.next_step) if intent is Intent.CAN and document.next_step else ""
        units = [u for e in excerpts for u in e.units]
        concepts, weights = retrieval.query.concepts, retrieval.weights
        relevance = [sum(w * c.match(tokens) for c, w in zip(concepts, weights))
                     for e in excerpts for tokens in e.unit_tokens]
        if intent is Intent.AMOUNT:  # "how much" is answered by the units that carry a figure
            top = max(relevance, default=0.0) or 1.0
            figures = [bool(names) for e in excerpts for names in e.unit_params]
            relevance = [r + top * f for r, f in zip(relevance, figures)]
        if intent is Intent.DEFINE:  # the other thing told apart comes before the rest of the first
            relevance = [float(n > 0) for n, e in enumerate(excerpts) for _ in e.units]
        shaped = shape(units, locale, is_list=intent in (Intent.LIST, Intent.AMOUNT), next_step=step,
                       relevance=relevance if intent in _BY_RELEVANCE else None,
                       lead_by_relevance=intent is not Intent.DEFINE,
                       focused=intent is Intent.AMOUNT)
        shown = "\n".join(shaped.lines(more=more))
        # only what is shown is cited: the documents whose units made it in, and the figures they quote
        quoted = [e for e in excerpts if any(_shown(u, shown) for u in e.units)] or excerpts[:1]
        params = list(dict.fromkeys(
            n for e in quoted for u, names in zip(e.units, e.unit_params or ((),) * len(e.units)) if _shown(u, shown)
            for n in names))
        sources = self._sources([e.chunk for e in quoted], params, locale)
        lines = [*shaped.lines(more=more), self._sources_line(quoted, params, locale)]
        return Answer("\n".join(lines), True, sources, longer=bool(shaped.more) and not more)

    def _sources_line(self, excerpts: list[Excerpt], params: list[str], locale: str) -> str:
        """Every document quoted and every figure shown, with its source and the date it applies from."""
        parts = [text(locale, "source_document", title=d.title, effective_date=d.effective_date)
                 for d in {e.chunk.document.doc_id: e.chunk.document for e in excerpts}.values()]
        unverified = False
        days: dict[str, list[str]] = {}
        for name in params:
            parameter = self.params[name]
            days.setdefault(parameter.source, [])
            if parameter.effective_date not in days[parameter.source]:
                days[parameter.source].append(parameter.effective_date)
            # a figure past its notice's validity is not marked one by one: one line below says so
            unverified = unverified or (parameter.uncertain and not parameter.expired_on)
        # figures of one notice are cited once, with every day they apply from
        parts += [text(locale, "source_figure", source=source, effective_date=text(locale, "date_separator").join(dates))
                  for source, dates in days.items()]
        line = text(locale, "sources_line", sources=text(locale, "source_separator").join(parts))
        line += text(locale, "unverified_note") if unverified else ""
        expired = expired_notices(self.params[name] for name in params)
        if expired:
            named, until = expired
            # the note is a sentence of its own after the sources
            line += ("。" if locale == "zh" else ". ") + text(locale, "stale", sources="；".join(named) if locale == "zh" else "; ".join(named),
                                until=day_zh(until) if locale == "zh" else day_en(until))
        return line

    async def _written(self, question: str, locale: str, retrieval: Retrieval) -> Answer | None:
        """A model-written answer; None sends the caller to the extractive answer."""
        from knowledge.grounded import Outcome, build_messages, read_reply

        hits = retrieval.hits
        try:
            message = await self.llm.ainvoke(build_messages(question, hits, locale))
        except Exception as error:  # any provider failure: the extractive answer still serves
            log.warning("chat model failed, answering extractively: %s", type(error).__name__)
            return None
        reply = read_reply(message.content, question, hits)
        if reply.outcome is Outcome.UNSUPPORTED:
            return await self._not_sure(question, locale)
        if reply.outcome is Outcome.UNGROUNDED:
            log.warning("chat model answer not grounded in the passages, answering extractively")
            return None
        cited: list[Hit] = [hits[n - 1] for n in reply.cited]
        lines = [reply.text, "", text(locale, "sources")]
        for n in reply.cited:
            document = hits[n - 1].chunk.document
            lines.append(
                text(locale, "source", number=n, title=document.title, source=document.source,
                     effective_date=document.effective_date)
            )
        params = list(dict.fromkeys(p for hit in cited for p in hit.chunk.params))
        lines.extend(self._figure_lines(params, locale))
        return Answer("\n".join(lines), True, self._sources([h.chunk for h in cited], params, locale))

    async def _not_sure(self, question: str, locale: str) -> Answer:
        if self.on_unanswered is not None:
            try:
                await self.on_unanswered(question, locale)
            except Exception as error:  # the resident still gets an answer if curation logging fails
                log.warning("could not record an unanswered question: %s", type(error).__name__)
        return Answer(text(locale, "not_sure"), False, [])

    def _figure_lines(self, names: list[str], locale: str) -> list[str]:
        """Each figure quoted, with the date it applies from and where it comes from."""
        if not names:
            return []
        lines = [text(locale, "figures")]
        for name in names:
            parameter = self.params[name]
            label = parameter.label_en if locale == "en" else parameter.label_zh
            number = format_number(float(parameter.value))
            unit = UNITS_EN.get(parameter.unit, f" {parameter.unit}") if locale == "en" else parameter.unit
            note = f"（{text(locale, 'unverified')}）" if locale == "zh" else f" ({text(locale, 'unverified')})"
            # a figure past its notice's validity is not marked one by one: one line below says so
            marked = parameter.uncertain and not parameter.expired_on
            lines.append(
                text(locale, "figure", label=label, value=f"{number}{unit}", effective_date=parameter.effective_date,
                     source=parameter.source, region=parameter.region, note=note if marked else "")
            )
        expired = expired_notices(self.params[name] for name in names)
        if expired:
            named, until = expired
            lines.append(text(locale, "stale", sources="；".join(named) if locale == "zh" else "; ".join(named),
                              until=day_zh(until) if locale == "zh" else day_en(until)))
        return lines

    def _sources(self, chunks: list[Chunk], params: list[str], locale: str) -> list[Source]:
        documents = {c.document.doc_id: c.document for c in chunks}.values()
        sources = [Source(d.title, d.source, d.effective_date) for d in documents]
        for name in params:
            parameter = self.params[name]
            label = parameter.label_en if locale == "en" else parameter.label_zh
            sources.append(Source(label, parameter.source, parameter.effective_date))
        return sources


def build_answerer(
    *,
    llm_base_url: str | None = None,
    llm_model: str | None = None,
    llm_api_key: str | None = None,
    params_path: str | Path | None = None,
    on_unanswered: UnansweredCallback | None = None,
    llm: BaseChatModel | None = None,
    corpus_dir: str | Path | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    cache_dir: str | Path | None = None,
) -> Answerer:
    """An answerer over the packaged corpus; a chat model is used when a base URL and model are given.

    With `cache_dir`, the indexes are kept there once built (see `knowledge.library`)."""
    if llm is None and llm_base_url and llm_model:
        from langchain_openai import ChatOpenAI

        # OpenAI-compatible servers on a private network often take any key; the client needs one
        llm = ChatOpenAI(
            model=llm_model,
            base_url=llm_base_url,
            api_key=llm_api_key or "unused",
            temperature=0,
            timeout=30,
            max_retries=1,
        )
    return Answerer(
        load_index(params_path, corpus_dir, cache_dir=cache_dir),
        params=load_params(params_path),
        llm=llm,
        on_unanswered=on_unanswered,
        threshold=threshold,
        english=load_index(params_path, corpus_dir, locale="en", cache_dir=cache_dir),
    )
