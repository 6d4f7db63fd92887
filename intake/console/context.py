"""What the console's routes need, handed to them by the app that mounts them (no imports from `bot/`)."""
from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import HTTPException, Path as PathParam, Request

from dialogs.texts import t
from intake.contact import ResidentContact
from intake.queue.base import BaseQueue
from intake.privacy.rights import RightsDesk
from intake.store.access import AccessAction, AccessLog
from intake.store.base import BaseIntakeStore
from intake.store.consents import ConsentLog
from knowledge.params import PolicyParams

# an intake number in a URL: anything outside the database's integer range is simply not found
IntakeId = Annotated[int, PathParam(ge=1, le=2**31 - 1)]

OUTSIDE = "outside"  # the district answer of a household registered outside the city

# Conversations not yet submitted, by the application section (1-8) where each one stands now.
FunnelSource = Callable[[], Awaitable[Mapping[int, int]]]


@dataclass(slots=True)
class ConsoleContext:
    """The stores, the queue and the resident contact, with the settings the console reads."""

    store: BaseIntakeStore
    queue: BaseQueue
    contact: ResidentContact
    secret: str
    read_file: Callable[[str], Awaitable[bytes | None]]  # a stored file's content, decrypted
    params: PolicyParams | None = None
    target_hours: int = 48
    lease_seconds: int = 900
    session_hours: int = 12
    secure_cookies: bool = False
    locale: str = "zh"
    timezone: str = "Asia/Shanghai"
    funnel: FunnelSource | None = None
    access: AccessLog | None = None  # every staff read of resident data is recorded here
    consents: ConsentLog | None = None  # each yes or no of the resident, as rows
    rights: RightsDesk | None = None  # residents' rights requests, tracked to a reply
    erase: Callable[[int], Awaitable[None]] | None = None  # anonymise a decided intake now (a deletion request)

    async def read(self, staff: Any, action: AccessAction, intake_id: int | None, *, via: str, address: str,
                   detail: str | None = None) -> None:
        """Record that `staff` read resident data (before it is sent: a read that cannot be recorded fails)."""
        if self.access is not None:
            await self.access.record(actor=staff.name, role=str(staff.role), action=action, intake_id=intake_id,
                                     via=via, address=address, detail=detail)

    def district_label(self, key: str | None, locale: str) -> str:
        """A household registration district as a caseworker reads it."""
        if not key:
            return "-"
        if key == OUTSIDE:
            return t(locale, "opt.district.outside")
        if self.params is None or key not in self.params.city_districts:
            return key
        return self.params.district_label(key, locale)


async def console_context(request: Request) -> ConsoleContext:
    """The context the app put on `app.state.console` at start-up."""
    ctx = getattr(request.app.state, "console", None)
    if ctx is None:
        raise HTTPException(503, detail="the console is not configured")
    return ctx
