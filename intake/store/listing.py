"""The queue as caseworkers read it: search, filters, paging, in urgency order."""
from __future__ import annotations

from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncEngine

from intake.crypto import Vault
from intake.models import Intake, IntakeStatus, Referral, SearchTerm
from intake.store.records import QueuePage, QueueQuery, QueueRow
from intake.store.rows import NAME_PART_CHARS, name_hash, name_key, name_part_hash, phone_hash, phone_tail_hash
from intake.urgency import Urgency

S = IntakeStatus
_ROW = (
    Intake.id, Intake.channel, Intake.locale, Intake.status, Intake.urgent, Intake.submitted_at, Intake.updated_at,
    Intake.claimed_by, Intake.lease_until, Intake.applicant_name, Intake.district, Intake.household_size,
    Intake.outcome, Intake.urgency_score, Intake.urgency, Intake.replied, Intake.assigned_to,
)
MAX_PER_PAGE = 200


def mask_name(name: str) -> str:
    """A name as a list shows it: 李秀英 -> 李*英, 张三 -> 张*, Sam Lee -> S*****e."""
    name = name.strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def search_terms(vault: Vault, text: str) -> list[Any]:
    """What a search box may mean: an intake number, a phone number or its last four digits, a name or part
    of one (all but the number by keyed hash: nothing is decrypted to search)."""
    text = text.strip().lstrip("#＃")
    if not text:
        return []
    digits = "".join(ch for ch in text if ch.isdigit())
    terms = [Intake.name_hash == name_hash(vault, text)]
    hashes = []
    if digits and len(digits) == len(text.replace(" ", "").replace("-", "").replace("+", "")):
        if len(digits) <= 9:
            terms.append(Intake.id == int(digits))
        if len(digits) == 4:
            hashes.append(phone_tail_hash(vault, digits))
        if len(digits) >= 7:
            terms.append(Intake.phone_hash == phone_hash(vault, digits))
    elif len(name_key(text)) <= NAME_PART_CHARS:
        hashes.append(name_part_hash(vault, name_key(text)))
    if hashes:
        terms.append(Intake.id.in_(select(SearchTerm.intake_id).where(SearchTerm.term.in_(hashes))))
    return terms


class SqlListing:
    """Pages of the queue, filtered and searched in SQL; names and reasons decrypted for the page only."""

    engine: AsyncEngine
    vault: Vault

    async def queue_page(self, query: QueueQuery) -> QueuePage:
        """The intakes matching `query`, most urgent first, then the longest waiting (or the latest change)."""
        where = []
        if query.statuses:
            where.append(Intake.status.in_([S(s).value for s in query.statuses]))
        for column, value in ((Intake.district, query.district), (Intake.outcome, query.outcome),
                              (Intake.channel, query.channel)):
            if value:
                where.append(column == value)
        if query.urgent_only:
            where.append(Intake.urgent.is_(True))
        if query.replied_only:
            where.append(Intake.replied.is_(True))
        if query.assigned_to:
            where.append(Intake.assigned_to == query.assigned_to)
        if query.unassigned:
            where.append(Intake.assigned_to.is_(None))
        if query.overdue_before is not None:
            where.append(Intake.submitted_at < query.overdue_before)
        if query.referred_to:
            where.append(Intake.id.in_(select(Referral.intake_id).where(Referral.programme == query.referred_to)))
        if query.search:
            terms = search_terms(self.vault, query.search)
            where.append(or_(*terms) if terms else Intake.id.is_(None))
        per_page = max(1, min(query.per_page, MAX_PER_PAGE))
        page = max(1, query.page)
        order = ((Intake.updated_at.desc(), Intake.id.desc()) if query.newest_first
                 else (Intake.urgency_score.desc(), Intake.submitted_at, Intake.id))
        rows_query = select(*_ROW).where(*where).order_by(*order).limit(per_page).offset((page - 1) * per_page)
        async with self.engine.connect() as conn:
            total = (await conn.execute(select(func.count()).select_from(Intake).where(*where))).scalar_one()
            rows = (await conn.execute(rows_query)).all()
        return QueuePage(tuple(self._row(r) for r in rows), total, page, per_page)

    async def queue_choices(self) -> dict[str, list[str]]:
        """The districts and channels that occur, for the filter lists."""
        async with self.engine.connect() as conn:
            districts = (await conn.execute(select(Intake.district).distinct().where(Intake.district.is_not(None)))).scalars()
            channels = (await conn.execute(select(Intake.channel).distinct())).scalars()
            return {"districts": sorted(districts), "channels": sorted(channels)}

    def _row(self, r: Any) -> QueueRow:
        v = self.vault
        name = mask_name(v.decrypt_text(r.applicant_name)) if r.applicant_name is not None else ""
        urgency = Urgency.from_dict(v.decrypt_json(r.urgency)) if r.urgency is not None else None
        return QueueRow(
            id=r.id, channel=r.channel, locale=r.locale, status=S(r.status), urgent=r.urgent,
            submitted_at=r.submitted_at, updated_at=r.updated_at, claimed_by=r.claimed_by, lease_until=r.lease_until,
            masked_name=name, district=r.district, household_size=r.household_size, outcome=r.outcome,
            urgency_score=r.urgency_score, urgency=urgency, replied=r.replied, assigned_to=r.assigned_to,
        )
