"""Two surfaces with one drawing interface: a Pillow image and a PDF with a real text layer."""
from __future__ import annotations

import io
import logging

from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
_fonts: dict[int, ImageFont.FreeTypeFont] = {}


def font(size: int) -> ImageFont.FreeTypeFont:
    if size not in _fonts:
        _fonts[size] = ImageFont.truetype(FONT, size)
    return _fonts[size]


class ImageSheet:
    """A white page in pixels."""

    def __init__(self, width: int, height: int, paper: str = "white") -> None:
        self.image = Image.new("RGB", (width, height), paper)
        self.draw = ImageDraw.Draw(self.image)
        self.width, self.height = width, height

    def text(self, x: float, y: float, text: str, size: int = 22, fill: str = "black") -> None:
        self.draw.text((x, y), text, font=font(size), fill=fill)

    def centred(self, y: float, text: str, size: int = 30) -> None:
        self.text((self.width - font(size).getlength(text)) / 2, y, text, size)

    def line(self, x0: float, y0: float, x1: float, y1: float, width: int = 1) -> None:
        self.draw.line((x0, y0, x1, y1), fill="black", width=width)

    def box(self, x0: float, y0: float, x1: float, y1: float) -> None:
        self.draw.rectangle((x0, y0, x1, y1), outline="black", width=2)


class PdfSheet:
    """The same page as a PDF whose text is real text (an e-invoice as issuers send it)."""

    POINT = 0.5  # points per pixel of the image sheet

    def __init__(self, width: int, height: int) -> None:
        from fpdf import FPDF

        logging.getLogger("fontTools").setLevel(logging.ERROR)
        self.width, self.height = width, height
        self.pdf = FPDF(unit="pt", format=(width * self.POINT, height * self.POINT))
        self.pdf.set_auto_page_break(False)
        self.pdf.add_page()
        self.pdf.add_font("wqy", "", FONT)

    def text(self, x: float, y: float, text: str, size: int = 22, fill: str = "black") -> None:
        self.pdf.set_font("wqy", size=size * self.POINT)
        self.pdf.set_text_color(*((200, 30, 30) if fill != "black" else (0, 0, 0)))
        self.pdf.text(x * self.POINT, (y + size * 0.85) * self.POINT, text)

    def centred(self, y: float, text: str, size: int = 30) -> None:
        self.text((self.width - font(size).getlength(text)) / 2, y, text, size)

    def line(self, x0: float, y0: float, x1: float, y1: float, width: int = 1) -> None:
        self.pdf.set_line_width(width * self.POINT)
        self.pdf.line(x0 * self.POINT, y0 * self.POINT, x1 * self.POINT, y1 * self.POINT)

    def box(self, x0: float, y0: float, x1: float, y1: float) -> None:
        self.pdf.rect(x0 * self.POINT, y0 * self.POINT, (x1 - x0) * self.POINT, (y1 - y0) * self.POINT)

    def data(self) -> bytes:
        return bytes(self.pdf.output())


def image_pdf(image: Image.Image) -> bytes:
    """A scanned e-invoice: the page only as a picture, no text layer."""
    out = io.BytesIO()
    image.convert("RGB").save(out, format="PDF", resolution=150)
    return out.getvalue()
