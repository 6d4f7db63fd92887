"""The resident's side of the fake Bot API: building the updates Telegram would deliver to the bot."""
from __future__ import annotations

import itertools
import time
import uuid
from dataclasses import dataclass
from typing import Any


@dataclass(slots=True)
class StoredFile:
    """A file the fake server hands out through getFile and the file download."""

    data: bytes
    unique_id: str
    path: str
    reported_size: int


@dataclass(slots=True)
class Entry:
    """One line of a chat as a resident would see it."""

    who: str  # "resident" | "bot"
    text: str
    buttons: tuple[str, ...] = ()


class ResidentSide:
    """Update builders mixed into FakeBotAPI; each records what the resident sent in the chat's transcript."""

    def user(self, chat_id: int, language_code: str | None = None) -> dict[str, Any]:
        """The resident; their app's language is "zh" unless `speaks` set another for the chat."""
        language_code = language_code or getattr(self, "_languages", {}).get(chat_id, "zh")
        return {"id": chat_id, "is_bot": False, "first_name": "Resident", "language_code": language_code}

    def speaks(self, chat_id: int, language_code: str) -> None:
        """The resident's Telegram app is set to this language (Telegram sends it with every update)."""
        if not hasattr(self, "_languages"):
            self._languages = {}
        self._languages[chat_id] = language_code

    def _new_message(self, chat_id: int, *, sender: dict[str, Any], **content: Any) -> dict[str, Any]:
        ids = self._message_ids.setdefault(chat_id, itertools.count(1))
        return {"message_id": next(ids), "date": int(time.time()), "from": sender,
                "chat": {"id": chat_id, "type": "private", "first_name": "Resident"}, **content}

    def _update(self, **body: Any) -> dict[str, Any]:
        return {"update_id": next(self._update_ids), **body}

    def _resident_message(self, chat_id: int, said: str, **content: Any) -> dict[str, Any]:
        message = self._new_message(chat_id, sender=self.user(chat_id), **content)
        self._messages[(chat_id, message["message_id"])] = message
        self._entries.setdefault(chat_id, []).append(Entry("resident", said))
        return self._update(message=message)

    def text(self, chat_id: int, text: str) -> dict[str, Any]:
        """A text message (a leading /command gets its bot_command entity, as Telegram adds it)."""
        content: dict[str, Any] = {"text": text}
        if text.startswith("/"):
            length = len(text.split()[0]) if text.split() else 1
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        return self._resident_message(chat_id, text, **content)

    def command(self, chat_id: int, name: str, argument: str | None = None) -> dict[str, Any]:
        return self.text(chat_id, f"/{name}" + (f" {argument}" if argument else ""))

    def press(self, chat_id: int, choice: str) -> dict[str, Any]:
        """Press the button labelled `choice` (or with that option value) on the latest keyboard."""
        message = self.keyboard(chat_id)
        if message is None:
            raise LookupError(f"no message with buttons in chat {chat_id}")
        return self.press_on(message, choice)

    def press_on(self, message: dict[str, Any], choice: str) -> dict[str, Any]:
        """Press a button of a given bot message, even one whose buttons were removed since (stale)."""
        rows = message.get("reply_markup", {}).get("inline_keyboard") or message.get("_buttons_sent", [])
        buttons = [b for row in rows for b in row]
        button = next((b for b in buttons if b["text"] == choice), None) or next(
            (b for b in buttons if b["callback_data"].partition(":")[2] == choice), None)
        if button is None:
            labels = [b["text"] for b in buttons]
            raise LookupError(f"no button {choice!r} among {labels}")
        chat_id = message["chat"]["id"]
        query_id = uuid.uuid4().hex[:16]
        self._queries[query_id] = {"answered": False}
        self._entries.setdefault(chat_id, []).append(Entry("resident", f"[{button['text']}]"))
        snapshot = {k: v for k, v in message.items() if not k.startswith("_")}
        return self._update(callback_query={"id": query_id, "from": self.user(chat_id), "message": snapshot,
                                            "chat_instance": str(chat_id), "data": button["callback_data"]})

    def add_file(self, data: bytes, *, reported_size: int | None = None) -> tuple[str, str]:
        """Keep a file for getFile and download; returns (file_id, file_unique_id)."""
        file_id, unique_id = f"F{uuid.uuid4().hex}", uuid.uuid4().hex[:12]
        size = len(data) if reported_size is None else reported_size
        self._files[file_id] = StoredFile(data, unique_id, f"documents/{unique_id}", size)
        return file_id, unique_id

    def photo(self, chat_id: int, data: bytes, *, media_group_id: str | None = None,
              reported_size: int | None = None) -> dict[str, Any]:
        """A photo, sent as Telegram does: a small thumbnail size and the full size."""
        thumb_id, thumb_unique = self.add_file(data[:64])
        file_id, unique_id = self.add_file(data, reported_size=reported_size)
        sizes = [{"file_id": thumb_id, "file_unique_id": thumb_unique, "width": 90, "height": 120, "file_size": 64},
                 {"file_id": file_id, "file_unique_id": unique_id, "width": 960, "height": 1280,
                  "file_size": len(data) if reported_size is None else reported_size}]
        content: dict[str, Any] = {"photo": sizes}
        if media_group_id:
            content["media_group_id"] = media_group_id
        return self._resident_message(chat_id, "[photo]", **content)

    def album(self, chat_id: int, photos: list[bytes]) -> list[dict[str, Any]]:
        """Several photos sent together: one update per photo, sharing a media_group_id."""
        group = uuid.uuid4().hex[:10]
        return [self.photo(chat_id, data, media_group_id=group) for data in photos]

    def document(self, chat_id: int, data: bytes, *, name: str, mime_type: str | None,
                 reported_size: int | None = None) -> dict[str, Any]:
        file_id, unique_id = self.add_file(data, reported_size=reported_size)
        document = {"file_id": file_id, "file_unique_id": unique_id, "file_name": name,
                    "file_size": len(data) if reported_size is None else reported_size}
        if mime_type:
            document["mime_type"] = mime_type
        return self._resident_message(chat_id, f"[document {name}]", document=document)

    def sticker(self, chat_id: int) -> dict[str, Any]:
        file_id, unique_id = self.add_file(b"RIFF-sticker")
        sticker = {"file_id": file_id, "file_unique_id": unique_id, "type": "regular", "width": 512,
                   "height": 512, "is_animated": False, "is_video": False, "emoji": "👍"}
        return self._resident_message(chat_id, "[sticker]", sticker=sticker)

    def voice(self, chat_id: int) -> dict[str, Any]:
        file_id, unique_id = self.add_file(b"OggS-voice")
        return self._resident_message(chat_id, "[voice]", voice={"file_id": file_id, "file_unique_id": unique_id,
                                                                 "duration": 3, "mime_type": "audio/ogg"})

    def location(self, chat_id: int) -> dict[str, Any]:
        return self._resident_message(chat_id, "[location]", location={"latitude": 23.13, "longitude": 113.26})

    def edit(self, chat_id: int, message_id: int, text: str) -> dict[str, Any]:
        """The resident edited one of their messages."""
        message = self._messages[(chat_id, message_id)]
        message.update(text=text, edit_date=int(time.time()))
        self._entries.setdefault(chat_id, []).append(Entry("resident", f"[edited] {text}"))
        return self._update(edited_message=dict(message))
