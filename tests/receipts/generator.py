"""The receipt test set: drawn receipts with their true fields, made the same way on every machine.

`python -m tests.receipts.generator DIR` writes the files and `truth.json` into DIR.
"""
from __future__ import annotations

import json
import random
import sys
from dataclasses import dataclass
from pathlib import Path

from tests.receipts import degrade
from tests.receipts.layouts import DEVELOPMENT, HELD_OUT
from tests.receipts.sheets import PdfSheet, image_pdf
from tests.receipts.truth import Truth

PER_LAYOUT = 6
SEED = 20261130


@dataclass
class Sample:
    name: str
    path: Path
    truth: Truth
    held_out: bool
    harms: tuple[str, ...]


def _draw(layout: str, draw, rng: random.Random, index: int, fields: dict) -> tuple[Truth, bytes, tuple[str, ...]]:
    recipe = degrade.RECIPES[index % len(degrade.RECIPES)]
    if layout == "einvoice_pdf":
        truth, sheet = draw(rng, PdfSheet, layout=layout)
        return truth, sheet.data(), ("text_layer",)
    truth, sheet = draw(rng, **fields) if layout != "einvoice_scan" else draw(rng, layout=layout)
    image = degrade.apply(sheet.image, recipe, rng)
    if layout == "einvoice_scan":
        return truth, image_pdf(image), recipe
    data = degrade.jpeg(image, rng) if index % 2 else degrade.png(image)
    return truth, data, recipe


LAYOUTS = {**DEVELOPMENT, **HELD_OUT}


def sample(directory: Path, layout: str, index: int, **fields: str) -> Sample:
    """Draw one receipt of the set into `directory` (rewritten only when it differs) and return it; `fields`
    (gd_outpatient: payer, when) replace drawn ones, for a receipt of a given household and date."""
    rng = random.Random(f"{SEED}:{layout}:{index}")
    truth, data, harms = _draw(layout, LAYOUTS[layout], rng, index, fields)
    suffix = ".pdf" if data.startswith(b"%PDF") else ".jpg" if data[:2] == b"\xff\xd8" else ".png"
    path = directory / f"{layout}-{index:02d}{'-' + '-'.join(fields) if fields else ''}{suffix}"
    if not path.exists() or path.read_bytes() != data:
        path.write_bytes(data)
    return Sample(path.stem, path, truth, layout in HELD_OUT, harms)


def build(directory: Path, *, per_layout: int = PER_LAYOUT) -> list[Sample]:
    """Draw every layout `per_layout` times into `directory`, with `truth.json`, and return the set."""
    directory.mkdir(parents=True, exist_ok=True)
    samples = [sample(directory, layout, index) for layout in LAYOUTS for index in range(per_layout)]
    (directory / "truth.json").write_text(json.dumps(
        [{"file": s.path.name, "held_out": s.held_out, "harms": list(s.harms), **s.truth.as_dict()}
         for s in samples], ensure_ascii=False, indent=1), encoding="utf-8")
    return samples


if __name__ == "__main__":
    made = build(Path(sys.argv[1] if len(sys.argv) > 1 else "var/receipts-set"))
    print(f"{len(made)} receipts in {made[0].path.parent}")
