"""Saved indexes: built once per corpus version, loaded from disk by the next process, built again when
the corpus changes or the saved file is damaged."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from knowledge import library
from knowledge.documents import CORPUS_DIR
from knowledge.library import load_index

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def corpus(tmp_path) -> Path:
    """A copy of the corpus that a test may edit."""
    copy = tmp_path / "corpus"
    shutil.copytree(CORPUS_DIR, copy)
    return copy


@pytest.fixture(autouse=True)
def forget_loaded_indexes():
    library._LOADED.clear()
    yield
    library._LOADED.clear()


def saved(cache: Path, locale: str = "zh") -> list[Path]:
    return sorted(cache.glob(f"index-{locale}-*.pickle"))


def test_an_index_is_saved_once_and_loaded_from_disk(tmp_path, corpus, monkeypatch):
    cache = tmp_path / "cache"
    built = load_index(corpus_dir=corpus, cache_dir=cache)
    [path] = saved(cache)
    written = path.stat().st_mtime_ns
    library._LOADED.clear()

    def no_building(*args, **kwargs):
        raise AssertionError("the saved index should have been loaded")

    monkeypatch.setattr(library, "_build", no_building)
    loaded = load_index(corpus_dir=corpus, cache_dir=cache)
    assert loaded is not built and len(loaded) == len(built)
    question = "低保边缘的收入标准是多少"
    assert [h.chunk.chunk_id for h in loaded.search(question).hits] == \
        [h.chunk.chunk_id for h in built.search(question).hits]
    assert loaded.search(question).confidence == pytest.approx(built.search(question).confidence)
    assert path.stat().st_mtime_ns == written


def test_a_changed_corpus_is_built_again_and_the_old_index_removed(tmp_path, corpus):
    cache = tmp_path / "cache"
    load_index(corpus_dir=corpus, cache_dir=cache)
    [before] = saved(cache)
    page = corpus / "dibao.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n## 低保证怎么补办\n低保证丢了，到镇街补办。\n", encoding="utf-8")
    index = load_index(corpus_dir=corpus, cache_dir=cache)
    [after] = saved(cache)
    assert after != before and not before.exists()
    assert any("补办" in h.chunk.text for h in index.search("低保证丢了怎么补办").hits)


def test_a_damaged_file_is_built_again(tmp_path, corpus):
    cache = tmp_path / "cache"
    load_index(corpus_dir=corpus, cache_dir=cache)
    [path] = saved(cache)
    path.write_bytes(path.read_bytes()[:1000])
    library._LOADED.clear()
    index = load_index(corpus_dir=corpus, cache_dir=cache)
    assert index.search("低保标准是多少").hits
    assert path.stat().st_size > 1000


def test_english_and_chinese_are_saved_apart(tmp_path):
    cache = tmp_path / "cache"
    load_index(cache_dir=cache)
    load_index(cache_dir=cache, locale="en")
    assert len(saved(cache)) == 1 and len(saved(cache, "en")) == 1


def test_a_new_process_answers_from_the_saved_index_without_building_or_langchain(tmp_path):
    cache = tmp_path / "cache"
    load_index(cache_dir=cache)
    load_index(cache_dir=cache, locale="en")
    script = (
        "import asyncio, sys\n"
        "from knowledge import library\n"
        "library._build = None  # building would fail: the saved indexes must serve\n"
        "from knowledge.answerer import build_answerer\n"
        f"answerer = build_answerer(cache_dir={str(cache)!r})\n"
        "answer = asyncio.run(answerer.answer('低保标准是多少'))\n"
        "english = asyncio.run(answerer.answer('what is the dibao standard'))\n"
        "assert answer.confident and english.confident\n"
        "print(sorted(m for m in ('langchain_core', 'pypinyin') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
