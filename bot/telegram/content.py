"""What a Telegram message holds, read the same way from aiogram and python-telegram-bot objects.

Both libraries name message fields exactly as the Bot API does, so one reader serves both.
"""
from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from dialogs import intents
from dialogs.events import Unsupported, Voice
from dialogs.messages import Inbound


# Service messages a private chat can receive; they are not something the resident said.
_SERVICE_FIELDS = (
    "pinned_message",
    "message_auto_delete_timer_changed",
    "write_access_allowed",
    "chat_background_set",
    "new_chat_members",
    "left_chat_member",
    "new_chat_title",
    "new_chat_photo",
    "delete_chat_photo",
    "group_chat_created",
    "supergroup_chat_created",
    "channel_chat_created",
    "migrate_to_chat_id",
    "migrate_from_chat_id",
    "connected_website",
    "proximity_alert_triggered",
    "boost_added",
)

# Clients label the same formats in several ways.
_TYPE_ALIASES = {"image/jpg": "image/jpeg", "image/pjpeg": "image/jpeg", "application/x-pdf": "application/pdf"}


@dataclass(frozen=True, slots=True)
class FileOffer:
    """A file a resident sent, not downloaded yet; `size` is what Telegram reports, if anything."""

    file_id: str
    name: str
    content_type: str
    size: int | None


def read_message(message: Any) -> Inbound | FileOffer | None:
    """Translate a message: text, a command, a file to fetch, unsupported content, or None to ignore."""
    text = message.text
    if text is not None:
        return intents.command(text) or Inbound(text=text)
    photo = message.photo
    if photo:
        # Telegram sends each photo in several sizes; the largest is the readable receipt.
        largest = max(photo, key=lambda size: size.width * size.height)
        return FileOffer(
            file_id=largest.file_id,
            name=f"photo-{largest.file_unique_id}.jpg",
            content_type="image/jpeg",
            size=largest.file_size,
        )
    # An animation arrives with a document copy of itself; it is not a receipt.
    document = message.document
    if document is not None and getattr(message, "animation", None) is None:
        return _document_offer(document)
    if any(getattr(message, name, None) for name in _SERVICE_FIELDS):
        return None
    if getattr(message, "voice", None) or getattr(message, "video_note", None):
        return Inbound(event=Voice())
    return Inbound(event=Unsupported())


def _document_offer(document: Any) -> FileOffer:
    name = PurePath(document.file_name or "").name
    content_type = (document.mime_type or "").lower()
    if not content_type or content_type == "application/octet-stream":
        content_type = mimetypes.guess_type(name)[0] or content_type or "application/octet-stream"
    content_type = _TYPE_ALIASES.get(content_type, content_type)
    if not name:
        extension = mimetypes.guess_extension(content_type) or ""
        name = f"document-{document.file_unique_id}{extension}"
    return FileOffer(file_id=document.file_id, name=name, content_type=content_type, size=document.file_size)


def private_chat_id(update: Any) -> int | None:
    """The private chat an update belongs to; None for groups, channels and update kinds we do not serve."""
    message = update.message or update.edited_message
    if message is None and update.callback_query is not None:
        # Presses on inline-mode messages carry no message; we never send those.
        message = update.callback_query.message
    if message is None or message.chat.type != "private":
        return None
    return message.chat.id
