"""The policy corpus: front matter, topics the issue lists, and no figure outside the parameter file."""
from __future__ import annotations

import re

import pytest

from knowledge.chunks import chunk_documents
from knowledge.documents import CORPUS_DIR, ENGLISH_DIR, load_corpus, read_document
from knowledge.errors import MalformedDocument, UnknownParameter
from knowledge.figures import PLACEHOLDER
from knowledge.params import load_params

TOPICS = {
    "zhichuxing-eligibility", "zhichuxing-expenses", "zhichuxing-materials", "zhichuxing-process",
    "zhichuxing-validity", "income-assets", "dibao", "dibao-edge", "tekun", "temporary-assistance",
    "medical-assistance", "education-assistance", "charity-referral", "apply-channels",
    "privacy-consent", "after-submit", "appeals", "non-local-residents", "housing-benefits",
    "sudden-hardship",
}
# digits a document may write itself: the 12345 hotline, list numbering, a worked example's income
ALLOWED_DIGITS = {"12345", "6"}


@pytest.fixture(scope="module", params=["zh", "en"])
def documents(request):
    """The corpus, then its English rendering: every test holds for both."""
    return load_corpus(CORPUS_DIR / ENGLISH_DIR if request.param == "en" else None)


def test_every_topic_of_the_issue_has_a_document(documents):
    assert TOPICS <= {d.doc_id for d in documents}


def test_every_document_has_an_english_rendering_and_a_next_step():
    chinese = {d.doc_id: d for d in load_corpus()}
    english = {d.doc_id: d for d in load_corpus(CORPUS_DIR / ENGLISH_DIR)}
    assert set(english) == set(chinese)
    for doc_id, document in english.items():
        assert document.title.isascii() and document.next_step.isascii(), doc_id
        assert chinese[doc_id].next_step, doc_id


def test_front_matter_is_complete(documents):
    for document in documents:
        assert document.title and document.region and document.source
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", document.effective_date), document.doc_id


def test_policy_figures_come_only_from_placeholders(documents):
    for document in documents:
        without = PLACEHOLDER.sub("", document.body)
        without = re.sub(r"^\s*\d+\.\s", "", without, flags=re.MULTILINE)
        stray = set(re.findall(r"\d+", without)) - ALLOWED_DIGITS
        assert not stray, f"{document.doc_id} writes figures {stray} outside the parameter file"


def test_every_placeholder_renders_and_chunks_carry_their_parameters(documents):
    chunks = chunk_documents(documents, load_params())
    assert len(chunks) > len(documents)
    assert not any("{{" in c.text or "}}" in c.text for c in chunks)
    quoting = {name for c in chunks for name in c.params}
    assert {"dibao_standard", "rigid_expenditure_ratio", "recognition_validity_months"} <= quoting
    for chunk in chunks:
        assert chunk.units and len(chunk.units) == len(chunk.unit_params)


def test_a_document_without_front_matter_is_refused(tmp_path):
    path = tmp_path / "bare.md"
    path.write_text("# 标题\n正文", encoding="utf-8")
    with pytest.raises(MalformedDocument) as caught:
        read_document(path)
    assert "title" in caught.value.reason


def test_a_placeholder_naming_no_parameter_is_refused(tmp_path):
    text = (CORPUS_DIR / "dibao.md").read_text(encoding="utf-8").replace("{{dibao_standard}}", "{{dibao_standrad}}")
    path = tmp_path / "dibao.md"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UnknownParameter):
        chunk_documents([read_document(path)], load_params())
