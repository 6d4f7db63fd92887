"""The intake store: submitted applications, the caseworker workflow, accounts."""
from intake.store.base import RESIDENT, SYSTEM, BaseIntakeStore
from intake.store.records import (
    Account, AnswerItem, AttachmentRecord, AuditRecord, Claim, InfoRequestRecord, IntakeRecord, IntakeSummary,
    NoteRecord, OutboxItem, PersonMatch, QueueStats, UnansweredRecord,
)
from intake.store.sql import SqlIntakeStore

__all__ = [
    "RESIDENT", "SYSTEM", "Account", "AnswerItem", "AttachmentRecord", "AuditRecord", "BaseIntakeStore", "Claim",
    "InfoRequestRecord", "IntakeRecord", "IntakeSummary", "NoteRecord", "OutboxItem", "PersonMatch", "QueueStats",
    "SqlIntakeStore", "UnansweredRecord",
]
