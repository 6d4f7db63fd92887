"""PDF e-invoices: the text layer when the file has one, else the page drawn as an image for OCR."""
from __future__ import annotations

import re

from PIL import Image

from intake.receipts.lines import Segment

RENDER_WIDTH = 1800  # pixels across a drawn page
MAX_PAGES = 3


def text_segments(data: bytes) -> list[Segment]:
    """Text runs of the PDF's pages with their places, pages stacked top to bottom; empty if none."""
    import pypdfium2 as pdfium

    found: list[Segment] = []
    document = pdfium.PdfDocument(data)
    try:
        offset = 0.0
        for page in list(document)[:MAX_PAGES]:
            height = page.get_height()
            text_page = page.get_textpage()
            for index in range(text_page.count_rects()):
                left, bottom, right, top = text_page.get_rect(index)
                text = text_page.get_text_bounded(left, bottom, right, top).strip()
                if text:
                    found.append(Segment(text=text, x0=left, y0=offset + height - top, x1=right,
                                         y1=offset + height - bottom))
            offset += height
    finally:
        document.close()
    return found


def has_text(segments: list[Segment]) -> bool:
    """A text layer worth reading: some Chinese and some figures, not just a stray mark."""
    text = "".join(s.text for s in segments)
    return len(re.findall(r"[\u3400-\u9fff]", text)) >= 6 and bool(re.search(r"\d", text))


def page_count(data: bytes) -> int:
    """Pages of a PDF that opens; 0 for a broken one."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        return 0
    try:
        return len(document)
    finally:
        document.close()


def page_images(data: bytes) -> list[Image.Image]:
    """The pages drawn as images for OCR."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    try:
        return [page.render(scale=RENDER_WIDTH / page.get_width()).to_pil().convert("RGB")
                for page in list(document)[:MAX_PAGES]]
    finally:
        document.close()
