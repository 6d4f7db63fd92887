"""The materials each programme asks a household for (materials.yaml, beside the rules), with their sources."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from knowledge.params import DEFAULT_PATH as PARAMS_PATH

MATERIALS_PATH = Path(__file__).with_name("materials.yaml")
CORPUS = PARAMS_PATH.with_name("corpus")
CONDITIONS = ("disability", "student", "outside")


@dataclass(frozen=True, slots=True)
class Material:
    """One item to provide: its words, its source (title and clause), whether that was checked, when it applies."""

    key: str
    label: dict[str, str]
    source: str
    verified: bool
    note: str = ""
    when: str | None = None
    receipts: bool = False

    def text(self, locale: str) -> str:
        return self.label.get(locale) or self.label["zh"]


def _source(spec: dict[str, Any], sources: dict[str, Any]) -> str:
    key = str(spec["source"])
    if key.startswith("corpus:"):
        path = CORPUS / key.removeprefix("corpus:")
        front = path.read_text(encoding="utf-8").split("---")[1]
        title = (yaml.safe_load(front) or {}).get("title") or path.name
        return f"{title}（知识库 {path.name}）"
    cited = sources.get(key) or {"title": key, "document": ""}
    parts = [cited["title"], cited.get("document") or "", str(spec.get("clause") or "")]
    return " ".join(p for p in parts if p)


@lru_cache(maxsize=1)
def load_materials() -> tuple[dict[str, Material], dict[str, tuple[str, ...]]]:
    """Every material by key, and each programme's materials in the order a caseworker reads them."""
    raw = yaml.safe_load(MATERIALS_PATH.read_text(encoding="utf-8"))
    sources = yaml.safe_load(PARAMS_PATH.read_text(encoding="utf-8")).get("sources") or {}
    items = {}
    for key, spec in raw["items"].items():
        if spec.get("when") not in (None, *CONDITIONS):
            raise ValueError(f"material {key}: unknown condition {spec['when']!r}")
        items[key] = Material(key, {"zh": spec["zh"], "en": spec["en"]}, _source(spec, sources),
                              bool(spec["verified"]), str(spec.get("note") or ""), spec.get("when"),
                              bool(spec.get("receipts")))
    programmes = {name: tuple(keys) for name, keys in raw["programmes"].items()}
    for name, keys in programmes.items():
        if unknown := [k for k in keys if k not in items]:
            raise ValueError(f"programme {name}: unknown materials {unknown}")
    return items, programmes
