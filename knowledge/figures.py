"""Policy figures in corpus text: `{{name}}` placeholders rendered from the parameter file."""
from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.errors import MalformedDocument, UnknownParameter
from knowledge.params import PolicyParams

# {{name}}, {{name|value}}, {{name|percent}}, {{a*b|value}}; a factor is a parameter or a number
PLACEHOLDER = re.compile(r"\{\{([^{}]*)\}\}")
_FACTOR = re.compile(r"[a-z_][a-z0-9_]*|\d+(?:\.\d+)?")
_FORMATS = ("unit", "value", "percent")
UNCERTAIN_MARK = "（数值待核实）"
# the mark goes at the end of the clause, after the unit the sentence writes, not inside it
_MARK_SENTINEL = "\x00"
_CLAUSE_END = re.compile("\x00([^，。；、：（）()\n]*)")


@dataclass(frozen=True, slots=True)
class RenderedText:
    """Text with every figure filled in, and the parameters the figures came from."""

    text: str
    params: tuple[str, ...]


def format_number(value: float) -> str:
    """A figure as residents read it: no trailing zeros, at most two decimals."""
    text = f"{round(value, 2):.2f}".rstrip("0").rstrip(".")
    return text if text != "-0" else "0"


def render_figures(text: str, params: PolicyParams, *, document: str) -> RenderedText:
    """Replace each placeholder by its current figure (uncertain ones marked)."""
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
            if name not in used:
                used.append(name)
        if form == "unit" and (len(factors) != 1 or not names):
            raise MalformedDocument(document, f"a unit needs exactly one parameter: {match.group(0)}")
        value = 1.0
        for factor in factors:
            value *= float(params.value(factor)) if factor in params.parameters else float(factor)
        mark = _MARK_SENTINEL if any(params[n].uncertain for n in names) else ""
        if form == "percent":
            return f"{format_number(value * 100)}%{mark}"
        if form == "value":
            return f"{format_number(value)}{mark}"
        return f"{format_number(value)}{params[names[0]].unit}{mark}"

    rendered = PLACEHOLDER.sub(replace, text)
    # several uncertain figures in one clause share one mark
    rendered = _CLAUSE_END.sub(lambda m: m.group(1).replace(_MARK_SENTINEL, "") + UNCERTAIN_MARK, rendered)
    if "{{" in rendered or "}}" in rendered:
        raise MalformedDocument(document, "unbalanced placeholder braces")
    return RenderedText(rendered, tuple(used))
