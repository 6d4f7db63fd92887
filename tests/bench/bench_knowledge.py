"""Knowledge base speed: questions/s and latency of the extractive answerer, on the corpus and grown.

Run: .venv/bin/python -m tests.bench.bench_knowledge [--passes 20] [--chunks 2000] [--before DIR]
The grown corpus is the real one copied once per district, each copy with its sections in another
order and the district in its title, until it has at least --chunks chunks; the English rendering
is grown the same way. Every question of both halves of knowledge/eval (Chinese, English, off-topic)
is answered --passes times on each corpus, in this one process.

Cold starts come first (`starts.py`): `shanqiao ask` and a web process until /healthz answers, each
started with no saved index (the first start of a corpus version; every start, before indexes were
saved) and with the saved one, beside a trivial Python start. `--before DIR` also starts the code
of an earlier tree (e.g. `git archive <commit> | tar -x -C DIR`) the same way.
"""
from __future__ import annotations

import argparse
import asyncio
import gc
import os
import random
import re
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from knowledge.answerer import Answerer
from knowledge.chunks import ENGLISH_SEPARATORS, chunk_documents
from knowledge.documents import CORPUS_DIR, ENGLISH_DIR, PolicyDocument, load_corpus
from knowledge.english import english_tokenizer
from knowledge.evaluation import HALVES, half_path, load_questions
from knowledge.index import PolicyIndex
from knowledge.params import PolicyParams, load_params
from knowledge.tokens import shared_tokenizer
from tests.bench.starts import print_starts

TARGET_P95_MS = 10.0


def grown_corpus(
    documents: list[PolicyDocument], params: PolicyParams, chunks: int, locale: str = "zh"
) -> list[PolicyDocument]:
    """The corpus plus district copies with reordered sections, until it has at least `chunks` chunks."""
    per_copy = len(_chunks(documents, params, locale))
    copies = -(-max(chunks - per_copy, 0) // per_copy)
    districts = [labels[locale] for labels in params.city_districts.values()]
    shuffle = random.Random(7)
    grown = list(documents)
    for n in range(copies):
        district = districts[n % len(districts)]
        for document in documents:
            head, *sections = re.split(r"(?m)^(?=## )", document.body)
            # every section ends in a blank line, or a moved last section would swallow the next heading
            sections = [section.rstrip("\n") + "\n\n" for section in sections]
            shuffle.shuffle(sections)
            grown.append(
                replace(
                    document,
                    doc_id=f"{document.doc_id}-{n}",
                    title=f"{document.title}（{district}）",
                    body=head + "".join(s.replace("本市", district) for s in sections),
                )
            )
    return grown


def _chunks(documents: list[PolicyDocument], params: PolicyParams, locale: str):
    return chunk_documents(documents, params, separators=ENGLISH_SEPARATORS if locale == "en" else None)


def _index(documents: list[PolicyDocument], params: PolicyParams, locale: str) -> PolicyIndex:
    tokenizer = english_tokenizer() if locale == "en" else shared_tokenizer()
    return PolicyIndex(_chunks(documents, params, locale), tokenizer)


async def measure(answerer: Answerer, questions: list, passes: int) -> dict[str, float]:
    """Answer every question `passes` times; throughput and per-answer latency percentiles."""
    for q in questions:  # warm caches (pinyin of each character, numpy paths)
        await answerer.answer(q.question, q.locale)
    latencies: list[float] = []
    # CPU time of this thread too: on a shared machine wall time also counts other processes' turns
    cpu: list[float] = []
    started = time.perf_counter()
    for _ in range(passes):
        for q in questions:
            t, c = time.perf_counter(), time.thread_time()
            await answerer.answer(q.question, q.locale)
            latencies.append(time.perf_counter() - t)
            cpu.append(time.thread_time() - c)
    elapsed = time.perf_counter() - started
    p50, p95, p99 = np.percentile(latencies, [50, 95, 99]) * 1000
    cpu_p95 = float(np.percentile(cpu, 95) * 1000)
    return {"qps": len(latencies) / elapsed, "p50": p50, "p95": p95, "p99": p99, "cpu_p95": cpu_p95}


def search_latency(index: PolicyIndex, questions: list, passes: int) -> float:
    """p95 of retrieval alone, in ms."""
    latencies = []
    for _ in range(passes):
        for q in questions:
            t = time.perf_counter()
            index.search(q.question, 4)
            latencies.append(time.perf_counter() - t)
    return float(np.percentile(latencies, 95) * 1000)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passes", type=int, default=20)
    parser.add_argument("--chunks", type=int, default=2000)
    parser.add_argument("--before", type=Path, help="an earlier tree of the code, started the same way")
    args = parser.parse_args()
    print_starts(args.before)

    t = time.perf_counter()
    shared_tokenizer()
    dictionary_s = time.perf_counter() - t
    params = load_params()
    documents = {"zh": load_corpus(), "en": load_corpus(Path(CORPUS_DIR) / ENGLISH_DIR)}
    questions = [q for half in HALVES for q in load_questions(half_path(half))]

    rows = []
    for name in ("corpus", "grown"):
        corpora = {
            locale: docs if name == "corpus" else grown_corpus(docs, params, args.chunks, locale)
            for locale, docs in documents.items()
        }
        t = time.perf_counter()
        indexes = {locale: _index(corpus, params, locale) for locale, corpus in corpora.items()}
        build_s = time.perf_counter() - t
        answerer = Answerer(indexes["zh"], params=params, english=indexes["en"])
        # long-lived objects out of the collector's way, as the server does after start-up
        gc.collect()
        gc.freeze()
        figures = await measure(answerer, questions, args.passes)
        figures["search_p95"] = search_latency(indexes["zh"], [q for q in questions if q.locale == "zh"], args.passes)
        gc.unfreeze()
        rows.append((name, len(corpora["zh"]), min(len(i) for i in indexes.values()), build_s, figures))

    print(f"jieba dictionary and tokenizer load: {dictionary_s * 1000:.0f} ms (once per process)")
    print(f"{len(questions)} questions x {args.passes} passes per corpus, extractive answerer, one process")
    print("docs and chunks per language (Chinese and English indexes, the smaller chunk count shown)")
    print(f"{'corpus':8} {'docs':>5} {'chunks':>6} {'build ms':>9} {'q/s':>8} {'p50 ms':>7} {'p95 ms':>7} "
          f"{'p99 ms':>7} {'search p95':>10} {'cpu p95':>8}")
    for name, docs, chunks, build_s, f in rows:
        print(f"{name:8} {docs:5d} {chunks:6d} {build_s * 1000:9.0f} {f['qps']:8.0f} {f['p50']:7.3f} "
              f"{f['p95']:7.3f} {f['p99']:7.3f} {f['search_p95']:10.3f} {f['cpu_p95']:8.3f}")
    (_, _, small, _, base), (_, _, large, _, grown) = rows
    print(f"ratios grown/corpus ({large}/{small} chunks = {large / small:.1f}x): "
          f"q/s {grown['qps'] / base['qps']:.2f}, p95 {grown['p95'] / base['p95']:.2f}, "
          f"search p95 {grown['search_p95'] / base['search_p95']:.2f}")
    print(f"p95 at {large} chunks vs the {TARGET_P95_MS:.0f} ms aim: {grown['p95'] / TARGET_P95_MS:.3f} of it "
          f"(CPU time p95 {grown['cpu_p95'] / TARGET_P95_MS:.3f} of it; load average {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    asyncio.run(main())
