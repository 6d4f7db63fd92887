"""Reading a receipt file, and the pool that does it away from the event loop, with a time limit."""
from __future__ import annotations

import asyncio
import io
import logging
import multiprocessing
import os
import threading
import time
import warnings
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace

from PIL import Image, UnidentifiedImageError

from intake.receipts import ocr, pdf
from intake.receipts.fields import read_fields
from intake.receipts.lines import Segment, rows
from intake.receipts.receipt import Receipt

log = logging.getLogger(__name__)
READ_SECONDS = 60.0  # a long inpatient bill on a busy 2-core machine measured up to 45 s
MIN_PIXELS = 64  # a side shorter than this holds no legible receipt
MAX_PIXELS = 60_000_000  # a 50-megapixel phone photo passes; more is no photo, and would take gigabytes to decode
PARENT_CHECK_SECONDS = 1.0  # how often a reading process checks that its server still lives


def refusal(data: bytes) -> str | None:
    """Why an image or PDF must be refused before it is kept: "type" (no image at all), "damaged" (it does not
    open) or "image_too_large" (it declares more pixels than any photo has). Only the header is read: cheap
    enough for the event loop."""
    if data.startswith(b"%PDF"):
        return None if pdf.page_count(data) else "damaged"
    try:
        with warnings.catch_warnings():
            # Pillow warns from 89 megapixels and raises from twice that; both are refused here
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return "image_too_large"
    except UnidentifiedImageError:
        return "type"  # no image Pillow knows, whatever its first bytes say
    except Exception:  # noqa: BLE001 - a hostile header can make Pillow raise almost anything
        return "damaged"
    return "image_too_large" if width * height > MAX_PIXELS else None


def _stacked(images: list[Image.Image]) -> list[Segment]:
    found, offset = [], 0.0
    for image in images:
        found += [replace(s, y0=s.y0 + offset, y1=s.y1 + offset) for s in ocr.segments(image)]
        offset += image.height
    return found


def read_bytes(data: bytes) -> Receipt:
    """The fields of one receipt (JPEG, PNG or PDF). Bad or unreadable content gives a Receipt with a problem."""
    try:
        if data.startswith(b"%PDF"):
            layer = pdf.text_segments(data)
            if pdf.has_text(layer):
                receipt = read_fields(rows(layer), source="text_layer")
                if receipt.readable:
                    return receipt
            segments = _stacked(pdf.page_images(data))
        else:
            refused = refusal(data)
            if refused:
                return Receipt.unreadable(refused)
            segments = _stacked([ocr.open_image(data)])
    except UnidentifiedImageError:
        return Receipt.unreadable("type")
    except (OSError, ValueError, SyntaxError, EOFError) as error:
        # a truncated photo, a broken PDF, a file that is two things at once: said plainly, never an error page
        log.info("receipt not decodable: %s", type(error).__name__)  # never the content
        return Receipt.unreadable("damaged")
    except Exception as error:  # pdfium raises its own errors for broken files
        if type(error).__module__.startswith("pypdfium2"):
            log.info("receipt PDF not decodable: %s", type(error).__name__)
            return Receipt.unreadable("damaged")
        raise
    if not segments:
        return Receipt.unreadable()
    receipt = read_fields(rows(segments))
    return receipt if receipt.readable else Receipt.unreadable(receipt.problem or "unreadable")


def _refusal(data: bytes) -> str | None:
    """Why content is not worth a worker's time: refused (see `refusal`), or too small to be a receipt."""
    refused = refusal(data)
    if refused or data.startswith(b"%PDF"):
        return refused
    with Image.open(io.BytesIO(data)) as image:
        return "unreadable" if min(image.size) < MIN_PIXELS else None


def _watch_parent(parent: int) -> None:
    """End this reading process once the server that started it is gone (even killed with SIGKILL, when
    nothing else would tell it): orphaned, it would keep its models in memory for nobody."""
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(0)


def _worker_start(threads: int, parent: int) -> None:
    # the server's pid comes from the server: it may have died while this process was still starting
    threading.Thread(target=_watch_parent, args=(parent,), name="parent-watch", daemon=True).start()
    ocr.load_engine(threads)  # once per worker process, before the first receipt arrives


def _read_in_worker(data: bytes) -> dict:
    return read_bytes(data).as_dict()


class ReceiptReader:
    """Reads receipts in worker processes; a read that takes too long is stopped and reported."""

    def __init__(self, *, workers: int = 1, threads: int = 2, timeout: float = READ_SECONDS) -> None:
        self.workers, self.threads, self.timeout = workers, threads, timeout
        self._pool: ProcessPoolExecutor | None = None

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            # spawn: a fork of a process running an event loop and open connections is not safe
            self._pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"),
                                             initializer=_worker_start, initargs=(self.threads, os.getpid()))
        return self._pool

    async def start(self) -> None:
        """Load the engine in every worker now rather than on the first receipt."""
        pool = self._executor()
        await asyncio.gather(*(asyncio.wrap_future(pool.submit(ocr.model_paths)) for _ in range(self.workers)))

    async def read(self, data: bytes) -> Receipt:
        """The receipt's fields; never raises for bad content, a stuck read or a crashed worker."""
        refused = _refusal(data)
        if refused:
            return Receipt.unreadable(refused)
        future = self._executor().submit(_read_in_worker, data)
        try:
            return Receipt.from_dict(await asyncio.wait_for(asyncio.wrap_future(future), self.timeout))
        except asyncio.TimeoutError:
            log.warning("receipt read took longer than %ss; worker restarted", self.timeout)
            self._stop(kill=True)
            return Receipt.unreadable("timeout")
        except BrokenProcessPool:
            log.warning("receipt worker died; restarted")
            self._stop(kill=True)
            return Receipt.unreadable()

    def _stop(self, *, kill: bool) -> None:
        pool, self._pool = self._pool, None
        if pool is None:
            return
        if kill:
            # a running task cannot be cancelled: its process is ended (no public API for this before 3.14)
            for process in list(getattr(pool, "_processes", {}).values()):
                process.kill()
        pool.shutdown(wait=not kill, cancel_futures=True)

    async def aclose(self) -> None:
        if self._pool is not None:
            await asyncio.to_thread(self._stop, kill=False)
