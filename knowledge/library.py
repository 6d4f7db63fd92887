"""The built index for a corpus and a parameter file, made once and remade when either changes."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from knowledge.chunks import chunk_documents
from knowledge.documents import CORPUS_DIR, corpus_files, load_corpus
from knowledge.index import PolicyIndex
from knowledge.params import DEFAULT_PATH, load_params


def load_index(params_path: str | Path | None = None, corpus_dir: str | Path | None = None) -> PolicyIndex:
    """The index of a corpus with figures from a parameter file (packaged ones by default)."""
    params_file = Path(params_path or DEFAULT_PATH).resolve()
    corpus = Path(corpus_dir or CORPUS_DIR).resolve()
    # modification times in the key: an edited parameter or document is picked up on the next call
    stamp = (params_file.stat().st_mtime_ns, tuple((p.name, p.stat().st_mtime_ns) for p in corpus_files(corpus)))
    return _build(str(params_file), str(corpus), stamp)


@lru_cache(maxsize=8)
def _build(params_file: str, corpus: str, _stamp: tuple) -> PolicyIndex:
    return PolicyIndex(chunk_documents(load_corpus(corpus), load_params(params_file)))
