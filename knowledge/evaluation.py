"""Evaluation of the knowledge base on question files: retrieval, facts carried, honest confidence.

A question file is JSON Lines (or a YAML list). Each entry has `question`, the documents that
answer it (`docs`, or one `doc`), the facts an answer must carry (`facts`: each a string, `|`
between spellings that count alike), `locale` and `tags`. An entry with no documents is off-topic:
the right answer to it is "not sure". A fact may quote a policy figure as `{{name}}`,
`{{name*other}}` or `{{name@date}}` (its effective date), so the set follows the parameter file.
"""
from __future__ import annotations

import json
import re
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import yaml

from knowledge.answerer import Answerer, language_of
from knowledge.errors import KnowledgeError, UnknownDocument
from knowledge.figures import format_number
from knowledge.params import PolicyParams

RANKED_DOCUMENTS = 10
EVAL_DIR = Path(__file__).with_name("eval")
# the tuning half may be looked at and tuned on; the test halves are only ever scored (test2: written
# before the work on answers in residents' words, with stories, other cities and "which one to apply for")
HALVES = ("tune", "test", "test2")
_FACT_FIGURE = re.compile(r"\{\{([a-z0-9_.*]+)(@date)?\}\}")


@dataclass(frozen=True, slots=True)
class Question:
    """One evaluation question: the documents that answer it and the facts an answer must carry."""

    question: str
    docs: tuple[str, ...]
    facts: tuple[str, ...] = ()
    locale: str = "zh"
    tags: tuple[str, ...] = ()

    @property
    def doc(self) -> str:
        """The first expected document ('' for an off-topic question)."""
        return self.docs[0] if self.docs else ""

    @property
    def off_topic(self) -> bool:
        return not self.docs


@dataclass(frozen=True, slots=True)
class Miss:
    """A question whose document was not retrieved where it should be, or whose answer fell short."""

    question: str
    expected: str
    retrieved: list[str]
    missing_facts: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Report:
    """Figures of one evaluation run; shares of in-scope questions unless named otherwise; ms latencies."""

    questions: int
    hit_at_1: float
    hit_at_3: float
    confident: float
    latency_ms: dict[str, float]
    in_scope: int = 0
    # answers carrying every expected fact
    facts_carried: float = 0.0
    # in-scope questions answered "not sure"
    false_not_sure: float = 0.0
    off_topic: int = 0
    # share of off-topic questions answered "not sure"
    off_topic_declined: float = 0.0
    # median length of the answers given with confidence, in characters (Chinese) and in words (English)
    answer_chars_p50: float = 0.0
    answer_words_p50: float = 0.0
    missed: list[Miss] = field(default_factory=list)
    # questions whose document was retrieved, but not first
    missed_at_1: list[Miss] = field(default_factory=list)
    # answers without every expected fact (a "not sure" included)
    short_answers: list[Miss] = field(default_factory=list)
    answered_off_topic: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        """JSON-ready form, as `shanqiao kb eval --json` prints it."""
        return asdict(self)


def load_questions(path: str | Path) -> list[Question]:
    """Questions from a JSON Lines file or a YAML list."""
    path = Path(path)
    raw = path.read_text(encoding="utf-8")
    if path.suffix in (".yaml", ".yml"):
        rows = yaml.safe_load(raw) or []
    else:
        rows = [json.loads(line) for line in raw.splitlines() if line.strip()]
    questions = []
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, dict) or not row.get("question") or ("doc" not in row and "docs" not in row):
            raise KnowledgeError(f"{path.name}, entry {number}: needs 'question' and 'doc' or 'docs'")
        docs = row.get("docs")
        if docs is None:
            docs = [row["doc"]] if row["doc"] else []
        locale = row.get("locale") or ("en" if str(row["question"]).isascii() else "zh")
        questions.append(
            Question(
                str(row["question"]),
                tuple(str(d) for d in docs),
                tuple(str(f) for f in row.get("facts") or ()),
                str(locale),
                tuple(str(t) for t in row.get("tags") or ()),
            )
        )
    return questions


def half_path(half: str) -> Path:
    """The packaged question file of one half of the evaluation set."""
    return EVAL_DIR / f"{half}.jsonl"


def fact_spellings(fact: str, params: PolicyParams) -> list[str]:
    """The spellings of one expected fact, figures filled in from the parameter file."""

    def figure(match: re.Match[str]) -> str:
        expression, date = match.group(1), match.group(2)
        if date:
            return params[expression].effective_date
        value = 1.0
        for factor in expression.split("*"):
            value *= float(params.value(factor)) if factor in params.parameters else float(factor)
        return format_number(value)

    return [_FACT_FIGURE.sub(figure, spelling).strip().lower() for spelling in fact.split("|")]


def missing_facts(answer_text: str, facts: tuple[str, ...], params: PolicyParams) -> list[str]:
    """The expected facts an answer does not carry in any of their spellings."""
    carried = answer_text.lower()
    return [f for f in facts if not any(s and s in carried for s in fact_spellings(f, params))]


async def evaluate(answerer: Answerer, questions: list[Question]) -> Report:
    """Rank documents for every question, answer it, and check the answer's facts and confidence."""
    known = {c.document.doc_id for c in answerer.index.chunks}
    for number, q in enumerate(questions, start=1):
        for doc in q.docs:
            if doc not in known:
                raise UnknownDocument(doc, number)
    hits1 = hits3 = confident = carried = not_sure = declined = 0
    latencies: list[float] = []
    lengths: dict[str, list[int]] = {"zh": [], "en": []}
    report = Report(questions=len(questions), hit_at_1=0.0, hit_at_3=0.0, confident=0.0, latency_ms={})
    for q in questions:
        started = time.perf_counter()
        answer = await answerer.answer(q.question, q.locale)
        latencies.append((time.perf_counter() - started) * 1000)
        confident += answer.confident
        if answer.confident:
            english = language_of(q.question, q.locale) == "en"
            lengths["en" if english else "zh"].append(len(answer.text.split()) if english else len(answer.text))
        if q.off_topic:
            declined += not answer.confident
            if answer.confident:
                report.answered_off_topic.append(q.question)
            continue
        ranked = answerer.ranked_documents(q.question, RANKED_DOCUMENTS)
        expected = set(q.docs)
        hits1 += bool(expected & set(ranked[:1]))
        hits3 += bool(expected & set(ranked[:3]))
        if not expected & set(ranked[:3]):
            report.missed.append(Miss(q.question, q.doc, ranked[:3]))
        elif not expected & set(ranked[:1]):
            report.missed_at_1.append(Miss(q.question, q.doc, ranked[:3]))
        absent = missing_facts(answer.text, q.facts, answerer.params) if answer.confident else list(q.facts)
        not_sure += not answer.confident
        carried += answer.confident and not absent
        if not answer.confident or absent:
            report.short_answers.append(Miss(q.question, q.doc, ranked[:3], absent or ["(not sure)"]))
    in_scope = sum(not q.off_topic for q in questions)
    off_topic = len(questions) - in_scope
    percentiles = np.percentile(latencies, [50, 95, 99]) if latencies else [0.0, 0.0, 0.0]
    report.in_scope = in_scope
    report.off_topic = off_topic
    report.hit_at_1 = hits1 / (in_scope or 1)
    report.hit_at_3 = hits3 / (in_scope or 1)
    report.confident = confident / (len(questions) or 1)
    report.facts_carried = carried / (in_scope or 1)
    report.false_not_sure = not_sure / (in_scope or 1)
    report.off_topic_declined = declined / (off_topic or 1) if off_topic else 1.0
    report.answer_chars_p50 = float(np.median(lengths["zh"])) if lengths["zh"] else 0.0
    report.answer_words_p50 = float(np.median(lengths["en"])) if lengths["en"] else 0.0
    report.latency_ms = {k: round(float(v), 3) for k, v in zip(("p50", "p95", "p99"), percentiles)}
    return report
