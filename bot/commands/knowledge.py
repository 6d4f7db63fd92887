"""CLI commands of the knowledge base: `ask` and `kb eval`."""
from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Annotated

import typer

from bot.settings import Settings

ParamsOption = Annotated[
    Path | None,
    typer.Option("--params", help="Policy parameter file (default: SHANQIAO_POLICY_FILE or the packaged one).",
                 exists=True, dir_okay=False),
]


def register(app: typer.Typer) -> None:
    """Add `ask` and the `kb` group to the `shanqiao` command line."""
    app.command("ask")(ask)
    kb = typer.Typer(help="Policy knowledge base.", no_args_is_help=True)
    kb.command("eval")(evaluate)
    app.add_typer(kb, name="kb")


def ask(
    question: Annotated[str, typer.Argument(help="The question, as a resident would ask it.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the answer as JSON.")] = False,
    locale: Annotated[str | None, typer.Option(help="zh or en (default: SHANQIAO_LOCALE).")] = None,
    params: ParamsOption = None,
) -> None:
    """Answer a policy question from the knowledge base."""
    from knowledge.answerer import build_answerer

    settings = Settings()
    answerer = build_answerer(
        llm_base_url=settings.llm_base_url,
        llm_model=settings.llm_model,
        llm_api_key=settings.llm_api_key,
        params_path=params or settings.policy_file,
        cache_dir=settings.index_cache_path,
    )
    answer = asyncio.run(answerer.answer(question, locale or settings.locale))
    if as_json:
        typer.echo(json.dumps(answer.as_dict(), ensure_ascii=False))
        return
    typer.echo(answer.text)
    for source in answer.sources:
        typer.echo(f"  · {source.title} — {source.source} ({source.effective_date})")


def evaluate(
    files: Annotated[list[Path] | None, typer.Argument(
        help="Question files (JSON Lines or YAML); default: both halves of the packaged set, tuning and test.",
        exists=True, dir_okay=False)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
    params: ParamsOption = None,
    misses: Annotated[bool, typer.Option("--misses", help="List the questions each file missed.")] = False,
) -> None:
    """Retrieval hit@1 / hit@3, facts carried, false "not sure", off-topic declined, latency."""
    from knowledge.answerer import build_answerer
    from knowledge.errors import KnowledgeError
    from knowledge.evaluation import HALVES, half_path, load_questions
    from knowledge.evaluation import evaluate as run_evaluation

    settings = Settings()
    # the extractive answer is what is measured: no chat model, whatever the settings say
    answerer = build_answerer(params_path=params or settings.policy_file, cache_dir=settings.index_cache_path)
    named = {path.stem: path for path in files} if files else {half: half_path(half) for half in HALVES}
    try:
        reports = {name: asyncio.run(run_evaluation(answerer, load_questions(path))) for name, path in named.items()}
    except KnowledgeError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from error
    if as_json:
        payload = {name: report.as_dict() for name, report in reports.items()}
        typer.echo(json.dumps(payload if len(payload) > 1 else next(iter(payload.values())), ensure_ascii=False))
        return
    for name, report in reports.items():
        latency = report.latency_ms
        typer.echo(f"[{name}] questions: {report.questions} (in scope {report.in_scope}, off-topic {report.off_topic})")
        typer.echo(f"  hit@1: {report.hit_at_1:.3f}  hit@3: {report.hit_at_3:.3f}")
        typer.echo(f"  facts carried: {report.facts_carried:.3f}  false not sure: {report.false_not_sure:.3f}"
                   f"  off-topic declined: {report.off_topic_declined:.3f}")
        typer.echo(f"  median answer length: {report.answer_chars_p50:.0f} characters (Chinese), "
                   f"{report.answer_words_p50:.0f} words (English), sources included")
        typer.echo(f"  answer latency ms: p50 {latency['p50']:.3f}  p95 {latency['p95']:.3f}  p99 {latency['p99']:.3f}")
        typer.echo(f"  missed (document not in the first 3): {len(report.missed)}")
        if not misses:
            continue
        for miss in report.missed:
            typer.echo(f"    {miss.question}  expected {miss.expected}, got {', '.join(miss.retrieved) or 'nothing'}")
        typer.echo(f"  found but not first: {len(report.missed_at_1)}")
        for miss in report.missed_at_1:
            typer.echo(f"    {miss.question}  expected {miss.expected}, got {', '.join(miss.retrieved)}")
        typer.echo(f"  answers without every fact: {len(report.short_answers)}")
        for miss in report.short_answers:
            typer.echo(f"    {miss.question}  lacks {'; '.join(miss.missing_facts)}")
        typer.echo(f"  off-topic answered: {len(report.answered_off_topic)}")
        for question in report.answered_off_topic:
            typer.echo(f"    {question}")
