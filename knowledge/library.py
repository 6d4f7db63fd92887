"""The built indexes for a corpus and a parameter file, made once and remade when either changes."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from knowledge.chunks import ENGLISH_SEPARATORS, chunk_documents
from knowledge.documents import CORPUS_DIR, ENGLISH_DIR, corpus_files, load_corpus
from knowledge.english import english_tokenizer
from knowledge.index import PolicyIndex
from knowledge.params import DEFAULT_PATH, load_params


def load_index(
    params_path: str | Path | None = None, corpus_dir: str | Path | None = None, *, locale: str = "zh"
) -> PolicyIndex:
    """The index of a corpus (or of its English rendering, `locale="en"`) with figures from a parameter file."""
    params_file = Path(params_path or DEFAULT_PATH).resolve()
    corpus = Path(corpus_dir or CORPUS_DIR).resolve()
    if locale == "en":
        corpus = corpus / ENGLISH_DIR
    # modification times in the key: an edited parameter or document is picked up on the next call
    stamp = (params_file.stat().st_mtime_ns, tuple((p.name, p.stat().st_mtime_ns) for p in corpus_files(corpus)))
    return _build(str(params_file), str(corpus), locale, stamp)


@lru_cache(maxsize=8)
def _build(params_file: str, corpus: str, locale: str, _stamp: tuple) -> PolicyIndex:
    documents = load_corpus(corpus)
    params = load_params(params_file)
    if locale == "en":
        return PolicyIndex(chunk_documents(documents, params, separators=ENGLISH_SEPARATORS), english_tokenizer())
    return PolicyIndex(chunk_documents(documents, params))
