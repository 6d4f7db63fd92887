"""Policy figures in corpus text: `{{name}}` placeholders rendered from the parameter file.

A figure not verified for the day is never presented as certain: its clause ends with the day
the value applies from. A figure whose notice is merely past its own validity is not marked: the
answer says so once (`Answerer`). Staff see the mark instead (`Parameter.staff_cite`,
`shanqiao policy show`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.errors import MalformedDocument, UnknownParameter
from knowledge.params import PolicyParams, day_en, day_zh

# {{name}}, {{name|value}}, {{name|percent}}, {{a*b|value}}; a factor is a parameter or a number
PLACEHOLDER = re.compile(r"\{\{([^{}]*)\}\}")
_FACTOR = re.compile(r"[a-z_][a-z0-9_]*|\d+(?:\.\d+)?")
_FORMATS = ("unit", "value", "percent")
# the date goes at the end of the clause, after the unit the sentence writes, not inside it;
# a sentinel and the ISO day stand in for it until the clause end is known
_SENTINEL = "\x00"
_MARKED = re.compile("\x00(\\d{4}-\\d{2}-\\d{2})")
# a clause ends at punctuation in either language; a decimal point does not end it
_CLAUSE = re.compile("\x00\\d{4}-\\d{2}-\\d{2}(?:[^，。；、：（）()\n,;:.]|\\.(?=\\d))*")


def applies_from(iso: str, locale: str = "zh") -> str:
    """The bracket a resident reads after a figure not verified for the day."""
    return f"（{day_zh(iso)}起）" if locale == "zh" else f" (from {day_en(iso)})"


@dataclass(frozen=True, slots=True)
class RenderedText:
    """Text with every figure filled in, and the parameters the figures came from."""

    text: str
    params: tuple[str, ...]


def format_number(value: float) -> str:
    """A figure as residents read it: no trailing zeros, at most two decimals."""
    text = f"{round(value, 2):.2f}".rstrip("0").rstrip(".")
    return text if text != "-0" else "0"


def render_figures(text: str, params: PolicyParams, *, document: str, locale: str = "zh") -> RenderedText:
    """Replace each placeholder by its figure in force; unverified ones carry the day they apply from."""
    used: list[str] = []

    def replace(match: re.Match[str]) -> str:
        expression, _, form = match.group(1).partition("|")
        form = form or "unit"
        factors = expression.split("*")
        if form not in _FORMATS or not all(_FACTOR.fullmatch(f) for f in factors):
            raise MalformedDocument(document, f"cannot read placeholder {match.group(0)}")
        names = [f for f in factors if not f[0].isdigit()]
        for name in names:
            if name not in params.parameters:
                raise UnknownParameter(name, document)
        # a product the file declares as a parameter (24 × the standard is the asset limit) is that
        # parameter: its own value, day and source, not the standard's
        derived = params.derived_from(names) if len(names) > 1 and len(names) == len(factors) else None
        if derived is not None:
            names = factors = [derived.name]
        used.extend(name for name in names if name not in used)
        if form == "unit" and (len(factors) != 1 or not names):
            raise MalformedDocument(document, f"a unit needs exactly one parameter: {match.group(0)}")
        value = 1.0
        for factor in factors:
            value *= float(params.value(factor)) if factor in params.parameters else float(factor)
        # past its notice's validity is said once for the whole answer, not after each figure
        doubtful = [params[n].effective_date for n in names if params[n].uncertain and not params[n].expired_on]
        mark = f"{_SENTINEL}{max(doubtful)}" if doubtful else ""
        if form == "percent":
            return f"{format_number(value * 100)}%{mark}"
        if form == "value":
            return f"{format_number(value)}{mark}"
        return f"{format_number(value)}{params[names[0]].unit}{mark}"

    rendered = PLACEHOLDER.sub(replace, text)
    rendered = _CLAUSE.sub(lambda m: _close_clause(m.group(0), locale), rendered)
    if "{{" in rendered or "}}" in rendered:
        raise MalformedDocument(document, "unbalanced placeholder braces")
    return RenderedText(rendered, tuple(used))


def _close_clause(clause: str, locale: str) -> str:
    # several unverified figures in one clause share one bracket, with the latest day
    days = _MARKED.findall(clause)
    return _MARKED.sub("", clause) + applies_from(max(days), locale)
