"""The one message model every channel translates to and from."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dialogs.events import Event


@dataclass(frozen=True, slots=True)
class Option:
    """A choice offered with a question: shown as a button, answered by its value."""

    label: str
    value: str


@dataclass(frozen=True, slots=True)
class Reply:
    """One outgoing message; `redraw` marks the question asked again after a button press that left it
    open (one more ticked of several, or a press refused: an old button, a choice not taken): a channel may
    show it in place of the pressed message, and does not show that press as the answer given."""

    text: str
    options: tuple[Option, ...] = ()
    redraw: bool = False

    def as_data(self) -> dict[str, Any]:
        """The reply as plain JSON-safe data (to keep it, or to hand it to the engine in an event)."""
        return {"text": self.text, "options": [[o.label, o.value] for o in self.options]}

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Reply:
        """A reply back from `as_data`."""
        return cls(data["text"], tuple(Option(label, value) for label, value in data.get("options", ())))


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file the resident sent, already stored by the channel; `file_id` names it in storage."""

    file_id: str
    name: str
    content_type: str
    size: int
    reading: dict[str, Any] | None = None  # fields read from a receipt by the runner (None: not read)

    def to_dict(self) -> dict[str, Any]:
        stored = {"file_id": self.file_id, "name": self.name, "content_type": self.content_type, "size": self.size}
        return stored if self.reading is None else {**stored, "reading": self.reading}


@dataclass(frozen=True, slots=True)
class Inbound:
    """One incoming message: free text, a pressed option, files, a command, or an event.

    `command` is a channel-neutral command name without the slash ("start", "help", "cancel",
    "status", "lang", "ask"), with its argument in `text`. `event` is raised by the runner or a channel,
    not by a resident (e.g. `Submitted(intake_id=7)`, see `dialogs.events`). `data` carries what a press
    or a file brings along (the question a button belonged to: "asked"; files being read: "reading").
    """

    text: str | None = None
    option: str | None = None
    attachments: tuple[Attachment, ...] = ()
    command: str | None = None
    event: Event | None = None
    data: dict[str, Any] = field(default_factory=dict)
    staff_id: str | None = None


# Effects: what the engine asks the runner to do. The runner performs them and may feed the
# outcome back as an event.


@dataclass(frozen=True, slots=True)
class Submit:
    """Store the finished application and queue it; the runner answers with `Submitted` (or `SubmitFailed`)."""

    application: dict[str, Any]
    locale: str


@dataclass(frozen=True, slots=True)
class AnswerQuestion:
    """Answer a policy question from the knowledge base, before the replies of this turn."""

    question: str
    locale: str
    # the longer answer, asked for with "more" after the short one
    more: bool = False


@dataclass(frozen=True, slots=True)
class ShowStatus:
    """Show the resident their own applications; the runner answers with replies. `filling`: an application
    is being filled in now (so "none submitted yet" is said as such)."""

    locale: str
    filling: bool = False


@dataclass(frozen=True, slots=True)
class SubmitMoreInfo:
    """Return the answers to a caseworker's request for more information to the same intake."""

    intake_id: int
    answers: dict[str, Any]
    locale: str


@dataclass(frozen=True, slots=True)
class KeepResumeCode:
    """Make the conversation's resume code (or keep `code`), unlocked by these four phone digits from now on;
    the runner answers with `ResumeCode`."""

    digits: str
    code: str | None = None


@dataclass(frozen=True, slots=True)
class FindResume:
    """A resident typed a resume code; the runner answers `ResumeFound` (real or not), `ResumeHere` or
    `ResumeLocked`."""

    code: str


@dataclass(frozen=True, slots=True)
class CheckResume:
    """The four digits for a resume code; the runner answers `ResumeOk` (the conversation moved here),
    `ResumeWrong` or `ResumeLocked`."""

    code: str
    digits: str


@dataclass(frozen=True, slots=True)
class RecordConsent:
    """The resident (or staff for a caller) said yes or no to one purpose; the runner records it as its own row
    with the notice version they were shown. Nothing is answered."""

    purpose: str
    granted: bool
    notice_version: str | None


@dataclass(frozen=True, slots=True)
class OpenMyData:
    """The rights desk: a resume code and the phone's last four digits, checked as resuming checks them (the same
    guessing limits); the runner answers "rights_open" (with the intake they open and the consents given),
    "rights_wrong", "rights_locked" or "rights_none" (nothing filed yet)."""

    code: str
    digits: str


@dataclass(frozen=True, slots=True)
class ShowMyData:
    """Show the resident a plain summary of what is held for `intake_id` and where to download it (JSON and a
    printable page); the runner answers with replies, before the turn's own."""

    intake_id: int
    locale: str


@dataclass(frozen=True, slots=True)
class FileRightsRequest:
    """File a tracked request (`kind`: correct | withdraw | delete | review, as the console's rights desk) for
    `intake_id`; a withdrawal of `purpose` (and `recipient`) also records a new consent row saying no. The
    runner answers "rights_filed" with the request's number and due date."""

    intake_id: int
    kind: str
    detail: str
    purpose: str | None = None
    recipient: str | None = None


@dataclass(frozen=True, slots=True)
class WriteToCaseworker:
    """A resident's own message (or files) after filing: into the intake's thread, for its caseworkers; the runner
    says whether it was kept."""

    intake_id: int
    text: str | None
    files: tuple[dict[str, Any], ...]
    locale: str


ResumeEffect = KeepResumeCode | FindResume | CheckResume
RightsEffect = OpenMyData | ShowMyData | FileRightsRequest
Effect = (Submit | AnswerQuestion | ShowStatus | SubmitMoreInfo | ResumeEffect | RecordConsent | RightsEffect
          | WriteToCaseworker)


@dataclass(slots=True)
class Turn:
    """The engine's answer to one inbound message."""

    state: dict[str, Any]
    replies: list[Reply]
    effects: list[Effect] = field(default_factory=list)
