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


def test_traditional_spellings_opencc_leaves_become_mainland_ones():
    tokenizer = shared_tokenizer()
    # OpenCC turns 甚麼 into 甚么, 覆核 stays: the corpus writes 什么 and 复核
    assert tokenizer.normalise("要準備甚麼") == "要准备什么"
    assert tokenizer.normalise("申請覆核") == "申请复核"
    # Hong Kong forms too
    assert tokenizer.normalise("衞生") == "卫生"
    assert tokenizer.query("甚麼是低保").tokens == tokenizer.query("什么是低保").tokens


def test_cantonese_wording_becomes_mandarin():
    tokenizer = shared_tokenizer()
    assert tokenizer.normalise("屋企冇人返工，唔使交錢？") == "家里没有人上班,不用交钱?"
    assert tokenizer.normalise("低保可以攞幾多錢") == "低保可以领多少钱"
    assert tokenizer.normalise("點解唔批") == "为什么不批"
    # Mandarin without any Cantonese rule in it is left as it is
    assert tokenizer.normalise("低保标准是多少") == "低保标准是多少"


def test_question_phrases_are_cut_whole_and_dropped():
    query = shared_tokenizer().query("给我列一下需要的材料")
    assert [c.surface for c in query.concepts] == ["材料"]
    # a phrase jieba already knows keeps its count: 多少钱 is still 多少 + 钱
    assert "钱" in {c.surface for c in shared_tokenizer().query("门票多少钱").concepts}


def test_clauses_cut_apart_give_the_words_of_the_whole_message():
    from knowledge.tokens import Query

    tokenizer = shared_tokenizer()
    clauses = ["屋企冇人返工，", "孩子读书要交学费，", "可唔可以申请低保？"]
    whole = tokenizer.query("".join(clauses))
    joined = Query.joined([tokenizer.query(c) for c in clauses], "".join(clauses))
    assert joined.tokens == whole.tokens
    assert [c.surface for c in joined.concepts] == [c.surface for c in whole.concepts]


def test_a_word_said_twice_is_one_concept():
    query = shared_tokenizer().query("身份证号填进去安全不安全")
    assert [c.surface for c in query.concepts].count("安全") == 1


def test_more_cantonese_wording():
    tokenizer = shared_tokenizer()
    assert tokenizer.normalise("屋企冇工开，点申请") == "家里没有工作,怎么申请"
    assert tokenizer.normalise("情況好返咗要唔要話俾佢哋知") == "情况好转了要不要告诉他们"
