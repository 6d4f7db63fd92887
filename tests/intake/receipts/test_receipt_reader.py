"""The reader on drawn receipts (a sample of the set: the benchmark reads all of it), PDFs, bad files, the pool."""
from __future__ import annotations

import io
import random
import subprocess
import sys
import textwrap
from difflib import SequenceMatcher

import pytest
from PIL import Image

from intake.receipts import ReceiptReader, read_bytes

# one per layout, each with a different harm (see tests/receipts/degrade.py RECIPES)
SAMPLE = [("gd_outpatient", 1), ("inpatient", 3), ("pharmacy", 4), ("einvoice_scan", 2), ("school", 0),
          ("outpatient_settlement", 5)]


@pytest.mark.parametrize(("layout", "index"), SAMPLE)
def test_fields_of_drawn_receipts(drawn, layout, index):
    receipt, truth = read_bytes(drawn(layout, index).path.read_bytes()), drawn(layout, index).truth
    assert receipt.readable and receipt.source == "ocr"
    assert (receipt.kind, receipt.date, receipt.total, receipt.self_pay) == \
        (truth.kind, truth.date, truth.total, truth.self_pay)
    # a seal printed over the issuer's name may hide a character: close, not always exact
    assert SequenceMatcher(None, receipt.issuer or "", truth.issuer).ratio() >= 0.8, receipt.issuer
    assert set(receipt.confidence) >= {"total", "date", "self_pay", "issuer"}


def test_pdf_e_invoice_is_read_from_its_text_layer(drawn):
    sample = drawn("einvoice_pdf", 0)
    receipt = read_bytes(sample.path.read_bytes())
    assert receipt.source == "text_layer"
    truth = sample.truth
    assert (receipt.issuer, receipt.payer, receipt.date, receipt.total, receipt.self_pay, receipt.insurance) == \
        (truth.issuer, truth.payer, truth.date, truth.total, truth.self_pay, truth.insurance)
    assert [(i.name, i.amount) for i in receipt.items] == truth.items


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def test_a_photo_with_no_receipt_in_it_could_not_be_read():
    rng = random.Random(1)
    noise = Image.frombytes("L", (400, 300), bytes(rng.randrange(90, 110) for _ in range(400 * 300)))
    receipt = read_bytes(_png(noise))
    assert not receipt.readable and receipt.problem in ("unreadable", "no_amount")
    assert receipt.as_dict()["problem"] == receipt.problem and receipt.total is None


@pytest.mark.parametrize("data, problem", [(b"\x89PNG\r\n\x1a\n broken", "type"), (b"%PDF-1.7 broken", "damaged"),
                                           (b"plain text", "type")])
def test_broken_files_are_refused_not_raised(data, problem):
    assert read_bytes(data).problem == problem


async def test_pool_reads_and_a_stuck_read_is_stopped(drawn):
    reader = ReceiptReader(timeout=60)
    try:
        receipt = await reader.read(drawn("pharmacy", 0).path.read_bytes())
        assert receipt.total == drawn("pharmacy", 0).truth.total
        reader.timeout = 0.05  # far shorter than any read: the worker is ended and the read reported
        assert (await reader.read(drawn("inpatient", 0).path.read_bytes())).problem == "timeout"
        reader.timeout = 60
        assert (await reader.read(drawn("pharmacy", 0).path.read_bytes())).total == drawn("pharmacy", 0).truth.total
    finally:
        await reader.aclose()


def test_no_network_is_used_and_models_come_from_the_wheel(drawn, tmp_path):
    """A fresh process whose sockets refuse to connect still loads the engine and reads a receipt."""
    script = textwrap.dedent(f"""
        import socket
        def refuse(*args, **kwargs):
            raise SystemExit("network use attempted")
        socket.socket.connect = socket.socket.connect_ex = refuse
        socket.create_connection = refuse
        import rapidocr
        from pathlib import Path
        from intake.receipts import ocr, read_bytes
        paths = ocr.model_paths()
        assert all(Path(rapidocr.__file__).parent in p.parents for p in paths.values()), paths
        print(read_bytes(Path({str(drawn("gd_outpatient", 0).path)!r}).read_bytes()).total)
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=240,
                            env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PYTHONPATH": "."})
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == str(drawn("gd_outpatient", 0).truth.total)


async def test_content_that_cannot_be_a_receipt_never_reaches_a_worker():
    reader = ReceiptReader()
    tiny = _png(Image.new("RGB", (1, 1), "white"))
    assert [(await reader.read(data)).problem for data in (tiny, b"%PDF-1.4 no pages", b"GIF89a")] == \
        ["unreadable", "damaged", "type"]
    assert reader._pool is None  # no process was started for them
    await reader.aclose()
