"""The policy parameter file: one place for every figure answers quote and rules read."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

DEFAULT_PATH = Path(__file__).with_name("params.yaml")


@dataclass(frozen=True, slots=True)
class Parameter:
    """One policy figure with where it applies, since when, and where it comes from."""

    name: str
    value: float | int
    unit: str
    label_zh: str
    label_en: str
    region: str
    effective_date: str
    source: str
    uncertain: bool = False

    def cite(self, locale: str = "zh") -> str:
        """A short citation, e.g. for an answer or a pre-screen reason."""
        mark = ("（数值待核实）" if locale == "zh" else " (figure to be verified)") if self.uncertain else ""
        if locale == "zh":
            return f"{self.source}，{self.region}，{self.effective_date}起施行{mark}"
        return f"{self.source}, {self.region}, effective {self.effective_date}{mark}"


@dataclass(frozen=True, slots=True)
class PolicyParams:
    """All parameters of one parameter file."""

    region: str
    parameters: dict[str, Parameter]
    city_districts: dict[str, dict[str, str]]

    def __getitem__(self, name: str) -> Parameter:
        return self.parameters[name]

    def value(self, name: str) -> float | int:
        return self.parameters[name].value

    def district_label(self, key: str, locale: str = "zh") -> str:
        labels = self.city_districts.get(key)
        return labels.get(locale, labels["zh"]) if labels else key


def load_params(path: str | Path | None = None) -> PolicyParams:
    """Read a parameter file (the packaged one by default)."""
    resolved = Path(path) if path else DEFAULT_PATH
    # keyed on the modification time too, so an edited file is read again
    return _load(str(resolved), resolved.stat().st_mtime_ns)


@lru_cache(maxsize=16)
def _load(path: str, _mtime: int) -> PolicyParams:
    raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    params = {
        name: Parameter(name=name, **entry)
        for name, entry in raw["parameters"].items()
    }
    return PolicyParams(region=raw["region"], parameters=params, city_districts=raw["city_districts"])
