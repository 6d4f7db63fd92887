"""The evaluation set and the figures `kb eval` reports on it."""
from __future__ import annotations

import json
from collections import Counter

import pytest

from knowledge.errors import KnowledgeError, UnknownDocument
from knowledge.evaluation import evaluate, load_questions
from tests.knowledge.conftest import QUESTIONS


def test_the_evaluation_set_is_written_as_residents_ask():
    questions = load_questions(QUESTIONS)
    assert len(questions) >= 80
    kinds = Counter(json.loads(line)["kind"] for line in QUESTIONS.read_text(encoding="utf-8").splitlines())
    assert {"colloquial", "typo", "traditional", "mixed", "english"} <= set(kinds)
    assert all(kinds[k] >= 4 for k in ("typo", "traditional", "mixed", "english"))
    assert {q.locale for q in questions} == {"zh", "en"}


async def test_hit_at_3_reaches_the_target(answerer):
    report = await evaluate(answerer, load_questions(QUESTIONS))
    assert report.hit_at_3 >= 0.9, [m.question for m in report.missed]
    assert report.hit_at_1 <= report.hit_at_3
    assert len(report.missed) == round((1 - report.hit_at_3) * report.questions)
    assert report.latency_ms["p50"] <= report.latency_ms["p95"] <= report.latency_ms["p99"]


async def test_a_miss_is_reported_with_what_was_retrieved(answerer, tmp_path):
    path = tmp_path / "q.jsonl"
    rows = [{"question": "低保标准是多少", "doc": "appeals"}, {"question": "低保标准是多少", "doc": "dibao"}]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    report = await evaluate(answerer, load_questions(path))
    assert report.hit_at_3 == 0.5 and report.hit_at_1 == 0.5
    assert [(m.question, m.expected) for m in report.missed] == [("低保标准是多少", "appeals")]
    assert report.missed[0].retrieved[0] == "dibao"


async def test_yaml_question_files_and_unknown_documents(answerer, tmp_path):
    path = tmp_path / "q.yaml"
    path.write_text("- question: 低保标准是多少\n  doc: no-such-doc\n", encoding="utf-8")
    with pytest.raises(UnknownDocument) as caught:
        await evaluate(answerer, load_questions(path))
    assert caught.value.doc_id == "no-such-doc"
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"question": "only a question"}\n', encoding="utf-8")
    with pytest.raises(KnowledgeError):
        load_questions(bad)
