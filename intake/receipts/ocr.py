"""Text and its place from an image, by the PP-OCR models shipped inside the rapidocr wheel (CPU only)."""
from __future__ import annotations

import io
import math
from pathlib import Path
from typing import Any

from PIL import Image, ImageOps

from intake.receipts.lines import Segment

# these files ship in the rapidocr wheel; naming them keeps rapidocr from ever looking elsewhere
MODEL_FILES = {"Det": "PP-OCRv6_det_small.onnx", "Rec": "PP-OCRv6_rec_small.onnx",
               "Cls": "ch_ppocr_mobile_v2.0_cls_mobile.onnx"}
MIN_SIDE = 1000  # small photos are enlarged first: the models read strokes a few pixels wide poorly
MAX_SIDE = 2400

_engine: Any = None


class ModelMissing(RuntimeError):
    """The installed rapidocr wheel lacks a model file; the reader never downloads one."""


def model_paths() -> dict[str, Path]:
    import rapidocr

    folder = Path(rapidocr.__file__).parent / "models"
    paths = {task: folder / name for task, name in MODEL_FILES.items()}
    missing = [str(p) for p in paths.values() if not p.is_file()]
    if missing:
        raise ModelMissing(", ".join(missing))
    return paths


def load_engine(threads: int = 2) -> Any:
    """The OCR engine of this process, loaded once."""
    global _engine
    if _engine is None:
        from rapidocr import RapidOCR

        # receipts arrive upright (EXIF applied), so the per-line angle classifier is skipped; detection
        # at up to 1280 px keeps printed text legible and measured ~20% faster than rapidocr's default
        params: dict[str, Any] = {"Global.log_level": "error", "Global.use_cls": False,
                                  "Det.limit_type": "max", "Det.limit_side_len": 1280,
                                  "EngineConfig.onnxruntime.intra_op_num_threads": threads,
                                  "EngineConfig.onnxruntime.inter_op_num_threads": 1}
        params |= {f"{task}.model_path": str(path) for task, path in model_paths().items()}
        _engine = RapidOCR(params=params)
    return _engine


def open_image(data: bytes) -> Image.Image:
    """A photo upright (EXIF orientation applied), in RGB, at a size the models read well."""
    image = ImageOps.exif_transpose(Image.open(io.BytesIO(data)))
    image = image.convert("RGB")
    short, long = sorted(image.size)
    scale = max(1.0, MIN_SIDE / short) if long * MIN_SIDE / short <= MAX_SIDE * 1.5 else 1.0
    scale = min(scale, MAX_SIDE / long) if long * scale > MAX_SIDE else scale
    if abs(scale - 1.0) > 0.05:
        image = image.resize((round(image.width * scale), round(image.height * scale)), Image.LANCZOS)
    return image


def segments(image: Image.Image) -> list[Segment]:
    """Every piece of text the engine finds, with its box turned into a Segment."""
    result = load_engine()(image)
    if result.boxes is None or result.txts is None:
        return []
    found = []
    for box, text, score in zip(result.boxes, result.txts, result.scores):
        (x_a, y_a), (x_b, y_b), _, (x_d, y_d) = box[:4]
        xs, ys = [p[0] for p in box], [p[1] for p in box]
        found.append(Segment(text=str(text), x0=float(min(xs)), y0=float(min(ys)), x1=float(max(xs)),
                             y1=float(max(ys)), score=float(score), angle=math.atan2(y_b - y_a, x_b - x_a),
                             line_height=float(math.hypot(x_d - x_a, y_d - y_a))))
    return found
