"""Files residents send (receipts, certificates): checked, then kept encrypted under the attachments directory."""
from __future__ import annotations

import asyncio
import os
import time
import uuid
from pathlib import Path

from dialogs.events import FileRefused
from dialogs.messages import Attachment, Inbound
from intake.crypto import Vault
from intake.receipts import refusal as content_refusal

ALLOWED_TYPES = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}
_MAGIC = {b"%PDF": "application/pdf", b"\xff\xd8\xff": "image/jpeg", b"\x89PNG": "image/png"}


def sniff(data: bytes) -> str | None:
    """The real type of a file from its first bytes, whatever its name claims."""
    return next((kind for magic, kind in _MAGIC.items() if data.startswith(magic)), None)


class FileStore:
    """Stores accepted files encrypted, readable by the service's user only, under random names.

    The original name is kept only in the (encrypted) record.
    """

    def __init__(self, directory: Path, *, max_bytes: int, vault: Vault) -> None:
        self.directory, self.max_bytes, self.vault = Path(directory), max_bytes, vault
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)

    def check(self, size: int, content_type: str) -> str | None:
        """Why a file would be refused ("too_large" or "type"), or None if it is acceptable."""
        if size > self.max_bytes:
            return "too_large"
        if content_type not in ALLOWED_TYPES:
            return "type"
        return None

    def refusal(self, data: bytes) -> str | None:
        """Why received content is refused: too large, not really a PDF, JPEG or PNG, damaged so that it does
        not open, or declaring more pixels than a photo has ("image_too_large")."""
        if len(data) > self.max_bytes:
            return "too_large"
        return content_refusal(data) if sniff(data) else "type"

    @property
    def limit_mb(self) -> int:
        return max(1, self.max_bytes // (1024 * 1024))

    async def save(self, data: bytes, *, name: str, content_type: str) -> Attachment:
        """Keep the file; the caller has checked it (`refusal`). The type is taken from the content."""
        kind = sniff(data) or content_type
        file_id = uuid.uuid4().hex + ALLOWED_TYPES.get(kind, "")
        await asyncio.to_thread(self._write, self.directory / file_id, self.vault.encrypt(data))
        return Attachment(file_id=file_id, name=Path(name).name[:120] or file_id, content_type=kind, size=len(data))

    async def receive(self, data: bytes, *, name: str, content_type: str) -> Inbound:
        """What a channel hands the dialogs for a received file: the stored attachment, or the refusal."""
        reason = self.refusal(data)
        if reason:
            return Inbound(event=FileRefused(reason, self.limit_mb))
        return Inbound(attachments=(await self.save(data, name=name, content_type=content_type),))

    @staticmethod
    def _write(path: Path, data: bytes) -> None:
        # created 0600 in one step: there is no moment when others could read it
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)

    def path(self, file_id: str) -> Path | None:
        """Where a stored (encrypted) file is, if the id is one of ours."""
        candidate = (self.directory / file_id).resolve()
        if candidate.parent != self.directory.resolve() or not candidate.is_file():
            return None
        return candidate

    async def read(self, file_id: str) -> bytes | None:
        """The content of a stored file, decrypted; None if the id is not one of ours."""
        path = self.path(file_id)
        if path is None:
            return None
        return self.vault.decrypt(await asyncio.to_thread(path.read_bytes))


def file_ids(value: object) -> set[str]:
    """Every `file_id` inside a JSON-like value (an application or a conversation state)."""
    found: set[str] = set()
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if isinstance(item.get("file_id"), str):
                found.add(item["file_id"])
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def sweep(directory: Path, keep: set[str], *, older_than: float) -> int:
    """Remove received files that no answer refers to and that are older than `older_than` seconds
    (a file sent outside a receipts step, or an application abandoned); returns how many went."""
    cutoff, removed = time.time() - older_than, 0
    for path in directory.iterdir():
        if path.is_file() and path.name not in keep and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            removed += 1
    return removed
