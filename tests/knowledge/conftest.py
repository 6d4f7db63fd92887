"""Fixtures for the knowledge base tests: the packaged index and answerers over it."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from knowledge.answerer import Answerer, build_answerer
from knowledge.documents import CORPUS_DIR
from knowledge.index import PolicyIndex
from knowledge.library import load_index
from knowledge.params import DEFAULT_PATH

HERE = Path(__file__).parent
QUESTIONS = HERE / "questions.jsonl"
OFF_TOPIC = HERE / "offtopic.txt"


@pytest.fixture(scope="session")
def index() -> PolicyIndex:
    """The index of the packaged corpus and parameter file (built once per process)."""
    return load_index()


@pytest.fixture
def answerer() -> Answerer:
    """An extractive answerer over the packaged corpus."""
    return build_answerer()


@pytest.fixture
def unanswered():
    """A recorder for the unanswered-question callback, and the callback itself."""
    calls: list[tuple[str, str]] = []

    async def record(question: str, locale: str) -> None:
        calls.append((question, locale))

    return calls, record


@pytest.fixture
def params_copy(tmp_path):
    """Write a copy of the packaged parameter file with some figures changed; returns its path."""

    def write(**changes: float) -> Path:
        raw = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))
        for name, value in changes.items():
            # the value in force today is the last one of the parameter's history
            raw["parameters"][name]["history"][-1]["value"] = value
        path = tmp_path / "params.yaml"
        path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
        return path

    return write


@pytest.fixture
def corpus_copy(tmp_path):
    """A copy of the packaged corpus directory that a test may add to."""
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS_DIR, target)
    return target


def off_topic_questions() -> list[str]:
    """Questions the corpus does not cover."""
    return [line.strip() for line in OFF_TOPIC.read_text(encoding="utf-8").splitlines() if line.strip()]
