"""Pieces of text with their place on the page, gathered into the rows a person would read."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from statistics import median

_SPACE_IN_CJK = re.compile(r"(?<=[\u3400-\u9fff（）：])\s+(?=[\u3400-\u9fff（）：])")


@dataclass(frozen=True, slots=True)
class Segment:
    """One piece of text as the OCR engine or a PDF text layer gives it; y grows downwards."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    score: float = 1.0
    angle: float = 0.0  # radians, the slope of the text's baseline
    line_height: float = 0.0  # height of the text itself (a tilted box is taller than its text)

    @property
    def height(self) -> float:
        return self.line_height or (self.y1 - self.y0)


@dataclass(frozen=True, slots=True)
class Row:
    segments: tuple[Segment, ...]

    @property
    def text(self) -> str:
        """The row's text, pieces two spaces apart; spaces between Chinese characters inside a piece dropped."""
        return "  ".join(_SPACE_IN_CJK.sub("", s.text.strip()) for s in self.segments)

    @property
    def score(self) -> float:
        return min((s.score for s in self.segments), default=0.0)


def rows(segments: list[Segment]) -> list[Row]:
    """Group segments into rows, allowing for a photo taken at a slight angle."""
    if not segments:
        return []
    angle = median(s.angle for s in segments)
    cos, sin = math.cos(-angle), math.sin(-angle)
    # centres turned back by the page's angle, so that one printed line shares one height
    placed = sorted(((((s.x0 + s.x1) / 2) * sin + ((s.y0 + s.y1) / 2) * cos, (s.x0 + s.x1) / 2 * cos
                      - (s.y0 + s.y1) / 2 * sin, s) for s in segments), key=lambda p: p[0])
    tolerance = 0.55 * median(max(s.height, 1.0) for s in segments)
    grouped: list[list[tuple[float, float, Segment]]] = []
    for item in placed:
        if grouped and abs(item[0] - median(p[0] for p in grouped[-1])) <= tolerance:
            grouped[-1].append(item)
        else:
            grouped.append([item])
    return [Row(tuple(s for _, _, s in sorted(group, key=lambda p: p[1]))) for group in grouped]
