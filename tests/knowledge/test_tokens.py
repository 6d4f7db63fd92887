"""Tokens: traditional characters, homophone typos and English questions meet the Chinese corpus."""
from __future__ import annotations

from knowledge.tokens import PINYIN_PREFIX, shared_tokenizer


def test_traditional_and_full_width_text_is_normalised():
    assert shared_tokenizer().normalise("申請低保邊緣ＡＢＣ") == "申请低保边缘abc"


def test_traditional_and_simplified_questions_give_the_same_tokens():
    tokenizer = shared_tokenizer()
    assert tokenizer.query("剛性支出包括哪些").tokens == tokenizer.query("刚性支出包括哪些").tokens


def test_a_homophone_typo_still_mentions_the_word():
    tokenizer = shared_tokenizer()
    passage = frozenset(tokenizer.document_tokens("低保边缘家庭可以申请医疗救助"))
    typo = tokenizer.query("低保边源家庭")
    assert any(c.surface in ("边源", "边", "源") for c in typo.concepts)
    assert all(c.match(passage) == 1.0 for c in typo.concepts)
    unrelated = tokenizer.query("红烧肉")
    assert all(c.match(passage) == 0.0 for c in unrelated.concepts)


def test_english_words_and_phrases_expand_to_corpus_terms():
    query = shared_tokenizer().query("What is the minimum living allowance? Can I apply online?")
    assert {"低保", "申请", "线上"} <= set(query.tokens)
    assert "minimum living allowance" in {c.surface for c in query.concepts}
    # question words carry no topic
    assert not {"what", "is", "the", "can", "i"} & set(query.tokens)


def test_mixed_chinese_and_english():
    query = shared_tokenizer().query("我想apply低保要什么材料")
    assert {"申请", "低保", "材料"} <= set(query.tokens)


def test_documents_are_indexed_with_pinyin_bigrams_and_characters():
    tokens = shared_tokenizer().document_tokens("家庭名下一般不能有机动车")
    assert PINYIN_PREFIX + "jidong" in tokens
    assert "机动车" in tokens and "车" in tokens
