"""Evaluation of the knowledge base on a question file: hit@1, hit@3 and answer latency."""
from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import yaml

from knowledge.answerer import Answerer
from knowledge.errors import KnowledgeError, UnknownDocument

RANKED_DOCUMENTS = 10


@dataclass(frozen=True, slots=True)
class Question:
    """One evaluation question and the document that must be retrieved for it."""

    question: str
    doc: str
    locale: str = "zh"


@dataclass(frozen=True, slots=True)
class Miss:
    """A question whose document was not retrieved where it should be."""

    question: str
    expected: str
    retrieved: list[str]


@dataclass(slots=True)
class Report:
    """Figures of one evaluation run; latencies in milliseconds."""

    questions: int
    hit_at_1: float
    hit_at_3: float
    confident: float
    latency_ms: dict[str, float]
    missed: list[Miss] = field(default_factory=list)
    # questions whose document was retrieved, but not first
    missed_at_1: list[Miss] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        """JSON-ready form, as `shanqiao kb eval --json` prints it."""
        return asdict(self)


def load_questions(path: str | Path) -> list[Question]:
    """Questions from a JSON Lines file or a YAML list, each with `question` and `doc` (and `locale`)."""
    path = Path(path)
    raw = path.read_text(encoding="utf-8")
    if path.suffix in (".yaml", ".yml"):
        rows = yaml.safe_load(raw) or []
    else:
        rows = [json.loads(line) for line in raw.splitlines() if line.strip()]
    questions = []
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, dict) or not row.get("question") or not row.get("doc"):
            raise KnowledgeError(f"{path.name}, entry {number}: needs 'question' and 'doc'")
        locale = row.get("locale") or ("en" if str(row["question"]).isascii() else "zh")
        questions.append(Question(str(row["question"]), str(row["doc"]), str(locale)))
    return questions


async def evaluate(answerer: Answerer, questions: list[Question]) -> Report:
    """Rank documents for every question and time the full answer to it."""
    known = {c.document.doc_id for c in answerer.retriever.index.chunks}
    for number, q in enumerate(questions, start=1):
        if q.doc not in known:
            raise UnknownDocument(q.doc, number)
    hits1 = hits3 = confident = 0
    latencies: list[float] = []
    missed: list[Miss] = []
    missed_at_1: list[Miss] = []
    for q in questions:
        ranked = answerer.retriever.index.search(q.question, RANKED_DOCUMENTS, per_document=1).documents()
        hits1 += ranked[:1] == [q.doc]
        hits3 += q.doc in ranked[:3]
        if q.doc not in ranked[:3]:
            missed.append(Miss(q.question, q.doc, ranked[:3]))
        elif ranked[:1] != [q.doc]:
            missed_at_1.append(Miss(q.question, q.doc, ranked[:3]))
        started = time.perf_counter()
        answer = await answerer.answer(q.question, q.locale)
        latencies.append((time.perf_counter() - started) * 1000)
        confident += answer.confident
    total = len(questions) or 1
    percentiles = np.percentile(latencies, [50, 95, 99]) if latencies else [0.0, 0.0, 0.0]
    return Report(
        questions=len(questions),
        hit_at_1=hits1 / total,
        hit_at_3=hits3 / total,
        confident=confident / total,
        latency_ms={k: round(float(v), 3) for k, v in zip(("p50", "p95", "p99"), percentiles)},
        missed=missed,
        missed_at_1=missed_at_1,
    )
