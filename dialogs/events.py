"""Events: what happened outside the resident's own words, fed to the engine in `Inbound.event`.

Each is raised by the runner or a channel (never typed by a resident), and each carries its data as
fields, as the effects going out do (`dialogs.messages`).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class EarlierIntake:
    """An intake of the same household filed before, named in the answer to a filing."""

    intake_id: int
    name: str


@dataclass(frozen=True, slots=True)
class Submitted:
    """The application was filed as `intake_id`; `summary` is what the resident is shown of it."""

    intake_id: int
    summary: str | None = None
    earlier: tuple[EarlierIntake, ...] = ()


@dataclass(frozen=True, slots=True)
class SubmitFailed:
    """Filing failed; the answers are kept and confirming again files once."""


@dataclass(frozen=True, slots=True)
class MoreInfoSaved:
    """The answers to a caseworker's request went back into intake `intake_id`."""

    intake_id: int


@dataclass(frozen=True, slots=True)
class MoreInfoClosed:
    """Intake `intake_id` was decided or closed while its request was being answered."""

    intake_id: int


@dataclass(frozen=True, slots=True)
class MoreInfoRequested:
    """A caseworker asks for more information on intake `intake_id`: these items, with a note."""

    intake_id: int
    items: tuple[str, ...]
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Repeat:
    """A message already handled, sent again because its answer was lost: ask the current question."""


@dataclass(frozen=True, slots=True)
class Verified:
    """Staff read the caller's name and ID number back and the caller confirmed them (staff in `Inbound`)."""


@dataclass(frozen=True, slots=True)
class FileRefused:
    """A file was refused before it was kept: "type", "too_large", "damaged" or "image_too_large"."""

    reason: str = "type"
    limit_mb: int = 10


@dataclass(frozen=True, slots=True)
class ReceiptsRead:
    """Receipts received earlier were read: the fields read, by file id."""

    readings: dict[str, dict[str, Any]]


@dataclass(frozen=True, slots=True)
class Edited:
    """The resident edited a message already sent (Telegram)."""


@dataclass(frozen=True, slots=True)
class Voice:
    """A voice message the channel cannot turn into words."""


@dataclass(frozen=True, slots=True)
class Unsupported:
    """Something the channel cannot pass on (a sticker, a location, ...)."""


@dataclass(frozen=True, slots=True)
class ResumeCode:
    """The conversation's resume code was made (`new`) or kept; `link` opens the web chat with it."""

    code: str
    link: str | None = None
    new: bool = False


@dataclass(frozen=True, slots=True)
class ResumeFound:
    """A typed resume code opens an application elsewhere: its four digits are asked next."""

    code: str


@dataclass(frozen=True, slots=True)
class ResumeHere:
    """A typed resume code is this conversation's own."""


@dataclass(frozen=True, slots=True)
class ResumeWrong:
    """Wrong digits (or no such code): `left` tries remain."""

    left: int = 0


@dataclass(frozen=True, slots=True)
class ResumeLocked:
    """Too many tries: wait `seconds`; `many` when this client tried too many codes at all."""

    seconds: int = 60
    many: bool = False


@dataclass(frozen=True, slots=True)
class ResumeOk:
    """The application was moved here; `waiting` are the messages that waited for the resident (`Reply.as_data`)."""

    waiting: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True, slots=True)
class ResumeUnavailable:
    """Resume codes are not set up in this deployment."""


@dataclass(frozen=True, slots=True)
class RightsOpened:
    """The rights desk was proved open on intake `intake_id`; `consents` are the (purpose, recipient) pairs given."""

    intake_id: int
    consents: tuple[tuple[str, str | None], ...] = ()


@dataclass(frozen=True, slots=True)
class RightsWrong:
    """The desk's code or digits were wrong (the same answer for both): `left` tries remain."""

    left: int = 0


@dataclass(frozen=True, slots=True)
class RightsLocked:
    """Too many tries at the desk: wait `seconds`; `many` when this client tried too many codes at all."""

    seconds: int = 60
    many: bool = False


@dataclass(frozen=True, slots=True)
class RightsNone:
    """The code is right but nothing has been filed under it yet."""


@dataclass(frozen=True, slots=True)
class RightsFiled:
    """A rights request was filed as number `n` (`kind` as `FileRightsRequest`), due on `due` (ISO date)."""

    n: int
    kind: str
    due: str | None = None
    purpose: str | None = None
    recipient: str | None = None


@dataclass(frozen=True, slots=True)
class RightsFailed:
    """Filing a rights request failed; nothing was filed and the desk's menu is shown again."""


@dataclass(frozen=True, slots=True)
class RightsUnavailable:
    """The rights desk is not set up in this deployment."""


@dataclass(frozen=True, slots=True)
class StaffMessage:
    """A caseworker wrote `text` to the resident on intake `intake_id`'s thread."""

    intake_id: int
    text: str


ResumeEvent = ResumeCode | ResumeFound | ResumeHere | ResumeWrong | ResumeLocked | ResumeOk | ResumeUnavailable
RightsEvent = RightsOpened | RightsWrong | RightsLocked | RightsNone | RightsFiled | RightsFailed | RightsUnavailable
Event = (Submitted | SubmitFailed | MoreInfoSaved | MoreInfoClosed | MoreInfoRequested | Repeat | Verified
         | FileRefused | ReceiptsRead | Edited | Voice | Unsupported | ResumeEvent | RightsEvent | StaffMessage)
