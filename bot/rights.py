"""The chat's rights desk at work: the runner's effects `OpenMyData`, `ShowMyData` and `FileRightsRequest`.

Identity is proved as resuming proves it (`ResumeDesk.prove`: the same code, digits and guessing limits), and
opens the newest intake filed from the conversation the code belongs to. Requests are the console's tracked
requests (`intake.privacy.rights.RightsDesk`), with the resident's channel as their method and "resident" as
who took them; a withdrawal is also a new consent row. Showing the data is a staff-style read: it is
recorded in the access log.
"""
from __future__ import annotations

import logging
from typing import Any

from bot.conversation import ConversationKey
from bot.resume import ResumeDesk
from dialogs.consents import NOTICE_VERSION
from dialogs.engine import Context, handle
from dialogs.events import (RightsEvent, RightsFailed, RightsFiled, RightsLocked, RightsNone, RightsOpened,
                            RightsWrong)
from dialogs.messages import FileRightsRequest, Inbound, OpenMyData, Reply, RightsEffect, ShowMyData, Turn
from dialogs.rights import consent_label, day
from dialogs.summary import summary_text
from dialogs.texts import t
from intake.console.mydata import DownloadLinks
from intake.privacy.rights import OFFICE_TZ, RightKind, RightsDesk, RightStatus
from intake.store import RESIDENT
from intake.store.access import AccessAction
from intake.store.consents import ConsentLog

log = logging.getLogger(__name__)


class ResidentRights:
    """Proves, shows and files for the chat's rights desk."""

    def __init__(self, *, resume: ResumeDesk, intakes: Any, consents: ConsentLog, rights: RightsDesk, access: Any,
                 links: DownloadLinks, web_url: str) -> None:
        self.resume, self.intakes, self.consents, self.rights = resume, intakes, consents, rights
        self.access, self.links, self.web_url = access, links, web_url

    async def perform(self, key: ConversationKey, state: dict[str, Any], effect: RightsEffect, ctx: Context, *,
                      client: str | None = None, staff_id: str | None = None) -> Turn | list[Reply]:
        """An event for the engine (its turn replaces the caller's), or replies to show before the turn's own.
        `staff_id`: phone or station staff running the dialog for a caller, who then take the request."""
        if isinstance(effect, OpenMyData):
            return await self._open(key, state, effect, ctx, client)
        if isinstance(effect, ShowMyData):
            return await self._show(key, effect, client, ctx)
        return await self._file(key, state, effect, ctx, staff_id)

    async def _open(self, key: ConversationKey, state: dict[str, Any], effect: OpenMyData, ctx: Context,
                    client: str | None) -> Turn:
        proof = await self.resume.prove(key, effect.code, effect.digits, client=client)
        if proof.wait is not None:
            return _event(state, RightsLocked(max(1, int(proof.wait.total_seconds())), proof.many), ctx)
        if proof.holder is None:
            return _event(state, RightsWrong(proof.left), ctx)
        filed = await self.intakes.list_for_user(proof.holder.channel, proof.holder.user_id)
        if not filed:
            return _event(state, RightsNone(), ctx)
        intake_id = filed[0].id  # newest first: the application the resident is following now
        current = ConsentLog.current(await self.consents.of_intake(intake_id)).values()
        given = tuple((c.purpose, c.recipient) for c in current if c.granted)
        return _event(state, RightsOpened(intake_id, given), ctx)

    async def _show(self, key: ConversationKey, effect: ShowMyData, client: str | None, ctx: Context) -> list[Reply]:
        locale, intake_id = effect.locale, effect.intake_id
        record = await self.intakes.get(intake_id)
        if self.access is not None:
            await self.access.record(actor=RESIDENT, role=RESIDENT, action=AccessAction.EXPORT, intake_id=intake_id,
                                     via=key.channel[:16], address=client or "", detail="chat summary")
        submitted = record.submitted_at.astimezone(OFFICE_TZ).date().isoformat() if record.submitted_at else None
        head = [t(locale, "rights.data.title", n=intake_id),
                t(locale, "rights.data.status", status=t(locale, f"status.{record.status.value}"),
                  date=day(locale, submitted))]
        lines = [t(locale, "rights.data.consents")]
        for consent in await self.consents.of_intake(intake_id):
            lines.append(t(locale, "rights.data.consent", what=consent_label(_View(locale), [consent.purpose,
                                                                                             consent.recipient]),
                           answer=t(locale, "rights.data.granted" if consent.granted else "rights.data.refused"),
                           date=day(locale, consent.at.astimezone(OFFICE_TZ).date().isoformat())))
        requests = await self.rights.of_intake(intake_id)
        if requests:
            lines.append(t(locale, "rights.data.requests"))
            for request in requests:
                status = (t(locale, "rights.data.open", due=day(locale, request.due_at.astimezone(OFFICE_TZ)
                                                                 .date().isoformat()))
                          if request.status is RightStatus.OPEN else
                          t(locale, "rights.data.answered" if request.status is RightStatus.ANSWERED
                            else "rights.data.refused_request"))
                lines.append(t(locale, "rights.data.request", n=request.id,
                               kind=t(locale, f"rights.kind.{request.kind.value}"), status=status))
        page, data = self.links.urls(self.web_url, intake_id, locale)
        links = [t(locale, "rights.data.links", page=page, json=data), t(locale, "rights.data.counter")]
        # the answers as the resident read them before confirming, under this desk's own title
        answers = summary_text(record.application, locale, ctx.districts, {}).split("\n", 1)[-1]
        return [Reply("\n".join(head) + "\n" + answers),
                Reply("\n".join(lines)), Reply("\n".join(links))]

    async def _file(self, key: ConversationKey, state: dict[str, Any], effect: FileRightsRequest,
                    ctx: Context, staff_id: str | None) -> Turn:
        try:
            if effect.purpose is not None:
                # a withdrawal is a new row saying no; the earlier yes stays as the record of what was agreed
                await self.consents.record_for_intake(
                    effect.intake_id, purpose=effect.purpose, recipient=effect.recipient, granted=False,
                    channel=key.channel, method="phone" if staff_id else "chat", collected_by=staff_id or RESIDENT,
                    notice_version=NOTICE_VERSION)
            number = await self.rights.take(effect.intake_id, kind=RightKind(effect.kind), detail=effect.detail,
                                             method=key.channel[:16], taken_by=staff_id or RESIDENT)
            filed = await self.rights.get(number)
        except Exception:
            log.exception("filing a rights request failed", extra={"channel": key.channel})
            return _event(state, RightsFailed(), ctx)
        return _event(state, RightsFiled(number, effect.kind, filed.due_at.astimezone(OFFICE_TZ).date().isoformat(),
                                         effect.purpose, effect.recipient), ctx)


class _View:
    """Enough of a conversation for `consent_label` outside a turn."""

    def __init__(self, locale: str) -> None:
        self.locale = locale

    def t(self, key: str, **params: Any) -> str:
        return t(self.locale, key, **params)


def _event(state: dict[str, Any], event: RightsEvent, ctx: Context) -> Turn:
    return handle(state, Inbound(event=event), ctx)
