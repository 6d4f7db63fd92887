"""The built indexes for a corpus and a parameter file, made once per version and kept on disk.

An index is saved under the cache directory the caller names, keyed by a hash of everything it is
made from (documents, parameter file, vocabulary, the code that cuts and indexes them). A process
that finds its key loads the index in milliseconds; a changed corpus has another key and is built
again, once, by the first process that needs it.
"""
from __future__ import annotations

import hashlib
import logging
import os
import pickle
import tempfile
from pathlib import Path

from knowledge.documents import CORPUS_DIR, ENGLISH_DIR, corpus_files, load_corpus
from knowledge.index import PolicyIndex
from knowledge.params import DEFAULT_PATH, load_params
from knowledge.tokens import VOCABULARY_PATH

log = logging.getLogger(__name__)

# raise when a saved index can no longer be read by this code in a way its sources do not show
FORMAT = 1
# the modules whose code decides what an index holds: a change to any of them builds it again
_BUILDERS = ("chunks", "documents", "english", "figures", "index", "params", "tokens")
_PACKAGE = Path(__file__).parent
# indexes kept in memory, by sources and their modification times (an edited file is picked up)
LOADED_MAX = 8
_LOADED: dict[tuple, PolicyIndex] = {}


def load_index(
    params_path: str | Path | None = None,
    corpus_dir: str | Path | None = None,
    *,
    locale: str = "zh",
    cache_dir: str | Path | None = None,
) -> PolicyIndex:
    """The index of a corpus (or of its English rendering, `locale="en"`) with figures from a parameter file.

    With `cache_dir`, the index is read from there when it was built from the same sources, and saved
    there when it had to be built.
    """
    params_file = Path(params_path or DEFAULT_PATH).resolve()
    corpus = Path(corpus_dir or CORPUS_DIR).resolve()
    if locale == "en":
        corpus = corpus / ENGLISH_DIR
    # modification times in the key: an edited parameter or document is picked up on the next call
    stamp = (params_file.stat().st_mtime_ns, tuple((p.name, p.stat().st_mtime_ns) for p in corpus_files(corpus)))
    key = (str(params_file), str(corpus), locale, stamp)
    index = _LOADED.get(key)
    if index is None:
        # an index already in memory serves whatever cache directory is named: one process, one copy
        index = _LOADED[key] = _load(str(params_file), str(corpus), locale, Path(cache_dir) if cache_dir else None)
        while len(_LOADED) > LOADED_MAX:
            del _LOADED[next(iter(_LOADED))]
    return index


def corpus_key(params_file: Path, corpus: Path, locale: str) -> str:
    """The hash of everything an index is built from."""
    digest = hashlib.sha256(f"{FORMAT}\0{locale}\0".encode())
    sources = [params_file, VOCABULARY_PATH, *corpus_files(corpus)]
    sources += [_PACKAGE / f"{name}.py" for name in _BUILDERS]
    for path in sources:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _load(params_file: str, corpus: str, locale: str, cache: Path | None) -> PolicyIndex:
    if cache is None:
        return _build(params_file, corpus, locale)
    key = corpus_key(Path(params_file), Path(corpus), locale)
    path = cache / f"index-{locale}-{key[:24]}.pickle"
    try:
        with path.open("rb") as saved:
            return pickle.load(saved)
    except FileNotFoundError:
        pass
    except Exception as error:  # a torn or foreign file: build again and replace it
        log.warning("saved index unreadable, building it again: %s", type(error).__name__)
    index = _build(params_file, corpus, locale, for_saving=True)
    _save(index, path)
    return index


def _build(params_file: str, corpus: str, locale: str, *, for_saving: bool = False) -> PolicyIndex:
    from knowledge.chunks import ENGLISH_SEPARATORS, chunk_documents  # building needs the text splitters
    from knowledge.english import english_tokenizer

    documents = load_corpus(corpus)
    params = load_params(params_file)
    if locale == "en":
        return PolicyIndex(chunk_documents(documents, params, separators=ENGLISH_SEPARATORS), english_tokenizer())
    index = PolicyIndex(chunk_documents(documents, params))
    if for_saving:
        index.tokenizer.learn_sounds()  # a loaded index then answers without the pinyin library
    return index


def _save(index: PolicyIndex, path: Path) -> None:
    """Write the index beside its final name and move it there: readers never see half a file."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".index-", delete=False) as out:
            try:
                pickle.dump(index, out, protocol=pickle.HIGHEST_PROTOCOL)
            except BaseException:
                os.unlink(out.name)
                raise
        os.replace(out.name, path)
    except OSError as error:  # a read-only disk costs the next start time, never an answer
        log.warning("could not save the index: %s", type(error).__name__)
        return
    for older in path.parent.glob(path.name.rsplit("-", 1)[0] + "-*.pickle"):
        if older != path:
            older.unlink(missing_ok=True)  # an index of an earlier corpus is never read again
