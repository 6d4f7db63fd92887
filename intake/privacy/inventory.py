"""Where resident data lives: every table and column, Redis key family, file store and outside processor,
with its class, purpose, legal basis, retention and recipients.

Tables and columns come from the models themselves (`intake.models.Base.metadata`); this module only
says what each holds. A column the models gain without a line here shows up as undeclared, and
`tests/intake/test_inventory.py` fails, so the inventory cannot drift from the code.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sqlalchemy import MetaData

from intake.models import Base
from intake.privacy.retention import Kept, Retention


class DataClass(StrEnum):
    """How sensitive what a column holds is."""

    SENSITIVE = "sensitive"  # PIPL Art. 28: health, finances, ID numbers, disability and 低保 status, children
    PERSONAL = "personal"  # names, phone numbers, addresses, user ids, the resident's own words
    PSEUDONYMOUS = "pseudonymous"  # keyed hashes that find a person's records but do not reveal them
    CASE = "case"  # facts about a case (status, dates, decisions), personal through the intake they belong to
    STAFF = "staff"  # staff members' own data (accounts, who did what)
    NONE = "none"  # nothing about a person


class Basis(StrEnum):
    """Legal bases (PIPL Art. 13), as the office relies on them."""

    DUTY = "statutory duty (PIPL 13(3)): assessing an assistance application under the social assistance rules"
    AUTHORISATION = ("statutory duty (PIPL 13(3)), with the applicant's written authorisation of the household "
                     "economic-status check (the application's first question, recorded in `consents`)")
    REFERRAL = "separate consent per charity recipient (PIPL 13(1), 23)"
    SECURITY = "security of the service (PIPL 51; 网络安全法 Art. 21)"
    STAFF = "managing the office's own staff (PIPL 13(2))"


CASEWORKERS = "caseworkers and supervisors of the civil affairs office"
PHONE_STAFF = "phone and community-station staff running the dialog for a caller"
RESIDENT = "the resident themselves (status, decisions, messages)"
CHARITY = "the charity partner named in a referral, after the resident's consent to that recipient"
NOBODY = "nobody outside the service"
OPERATORS = "the service's operators (supervisors, administrators)"


@dataclass(frozen=True, slots=True)
class Holding:
    """One place resident data lives, and what it holds."""

    kind: str  # table | redis | files | processor
    name: str
    purpose: str
    basis: Basis
    kept: Kept
    recipients: tuple[str, ...]
    columns: dict[str, DataClass] = field(default_factory=dict)  # for tables: every column's class

    def as_dict(self, retention: Retention) -> dict[str, Any]:
        period = retention.period(self.kept)
        return {"kind": self.kind, "name": self.name, "purpose": self.purpose, "legal_basis": self.basis.value,
                "retention": {"class": self.kept.value, "days": period.days if period else None},
                "recipients": list(self.recipients),
                **({"columns": {name: kind.value for name, kind in self.columns.items()}} if self.kind == "table" else {})}


def _columns(**by_class: str) -> dict[str, DataClass]:
    """`sensitive="answers prescreen", none="id"` -> each column with its class."""
    return {name: DataClass(kind) for kind, names in by_class.items() for name in names.split()}


def _table(name: str, purpose: str, basis: Basis, kept: Kept, recipients: tuple[str, ...], **columns: str) -> Holding:
    return Holding("table", name, purpose, basis, kept, recipients, _columns(**columns))


TABLES = (
    _table("intakes", "the submitted application: answers, pre-screen, urgency, status", Basis.AUTHORISATION, Kept.CLOSED,
           (CASEWORKERS, RESIDENT),
           sensitive="answers prescreen urgency", personal="user_id applicant_name",
           pseudonymous="user_key name_hash phone_hash",
           case="status urgent created_at submitted_at updated_at urgency_score replied district household_size "
                "outcome referral",
           staff="staff_id claimed_by assigned_to", none="id channel locale lease_until attempts queue_ref submission_key"),
    _table("answers", "each answer of an application with who entered it", Basis.AUTHORISATION, Kept.CLOSED,
           (CASEWORKERS,), sensitive="value", staff="entered_by", case="entered_at path", none="id intake_id"),
    _table("people", "keyed hashes of the ID numbers in an intake, to find earlier applications", Basis.DUTY,
           Kept.CLOSED, (NOBODY,), pseudonymous="id_hash", case="role", none="id intake_id"),
    _table("search_terms", "keyed hashes of parts of the applicant's name and the phone's last four digits, so "
           "staff search without decrypting every intake", Basis.DUTY, Kept.CLOSED, (NOBODY,),
           pseudonymous="term", none="intake_id"),
    _table("attachments", "receipts and documents of an intake, and the fields read from them", Basis.AUTHORISATION,
           Kept.RECEIPTS, (CASEWORKERS,), sensitive="reading", personal="name",
           none="id intake_id file_id content_type size expense_index"),
    _table("transcripts", "the conversation that produced an intake, as filed", Basis.DUTY, Kept.TRANSCRIPTS,
           (CASEWORKERS,), sensitive="body", none="intake_id"),
    _table("transcript_lines", "the conversation line by line, before and after filing", Basis.DUTY,
           Kept.TRANSCRIPTS, (CASEWORKERS, PHONE_STAFF), sensitive="text", pseudonymous="conversation",
           staff="staff_id", case="who at", none="id intake_id"),
    _table("conversations", "an unfinished application between turns (embedded conversation store)", Basis.DUTY,
           Kept.UNFINISHED, (NOBODY,), sensitive="state", pseudonymous="key", case="updated_at"),
    _table("mailbox", "messages waiting for a resident on a channel without push", Basis.DUTY, Kept.UNFINISHED,
           (RESIDENT,), personal="body", pseudonymous="key", none="id created_at"),
    _table("notices", "decision notices until the resident's channel has taken them", Basis.DUTY, Kept.CLOSED,
           (RESIDENT,), personal="user_id body", case="created_at delivered_at",
           none="id intake_id channel attempts due_at lease_until"),
    _table("resume_codes", "continuing an application on another device (hashes of the code and phone digits)",
           Basis.DUTY, Kept.UNFINISHED, (NOBODY,), personal="user_id", pseudonymous="code_hash user_key check_hash",
           case="created_at moved_at", none="id channel"),
    _table("audit_log", "every status change of an intake, with its reason: the case file's decision trail",
           Basis.DUTY, Kept.CASE_FILE, (CASEWORKERS,), personal="reason", staff="actor",
           case="at from_status to_status", none="id intake_id"),
    _table("assignments", "who an intake was given to, by whom and when, with the hand-over note", Basis.DUTY,
           Kept.CASE_FILE, (CASEWORKERS,), personal="note", staff="actor from_worker to_worker", case="at",
           none="id intake_id"),
    _table("notes", "caseworkers' notes on an intake", Basis.DUTY, Kept.CLOSED, (CASEWORKERS,), personal="text",
           staff="author", case="at", none="id intake_id"),
    _table("info_requests", "a caseworker's request for more information and whether it was answered", Basis.DUTY,
           Kept.CLOSED, (CASEWORKERS, RESIDENT), personal="message", staff="requested_by",
           case="items status requested_at answered_at", none="id intake_id answer_key"),
    _table("thread_messages", "the conversation between an intake's caseworkers and the resident after filing: "
           "messages, requests for more information, files the resident sent", Basis.DUTY, Kept.CLOSED,
           (CASEWORKERS, RESIDENT), personal="text", staff="author", case="at sender kind read_at",
           none="id intake_id file_id notice_id"),
    _table("checklist_marks", "a caseworker's marks on an intake's document checklist (received which file, waived "
           "why)", Basis.DUTY, Kept.CLOSED, (CASEWORKERS,), personal="reason", staff="actor",
           case="item state at", none="id intake_id file_id"),
    _table("referrals", "a household referred to a charity programme", Basis.REFERRAL, Kept.CLOSED,
           (CASEWORKERS, CHARITY), case="programme programme_doc status created_at updated_at", staff="created_by",
           none="id intake_id"),
    _table("referral_events", "each step of a referral as the partner answered (help given, amounts)",
           Basis.REFERRAL, Kept.CLOSED, (CASEWORKERS,), sensitive="detail", staff="actor", case="status at",
           none="id referral_id"),
    _table("return_visits", "closed cases drawn for a follow-up call, and what the call found", Basis.DUTY,
           Kept.CLOSED, (CASEWORKERS, PHONE_STAFF), personal="note", staff="drawn_by recorded_by",
           case="sample drawn_at outcome recorded_at new_intake_id", none="id intake_id"),
    _table("outbox", "an intake waiting to be put in the caseworker queue", Basis.DUTY, Kept.CLOSED, (NOBODY,),
           none="id intake_id created_at published_at"),
    _table("unanswered_questions", "policy questions the knowledge base could not answer, for curation",
           Basis.DUTY, Kept.QUESTIONS, (OPERATORS,), personal="question", none="id locale asked_at"),
    _table("access_log", "every staff read of resident data (who, when, what, from where)", Basis.SECURITY,
           Kept.LOGS, (OPERATORS,), staff="actor role address", case="at action intake_id detail via", none="id"),
    _table("login_throttle", "sign-in failures and resume code guesses counted per keyed hash", Basis.SECURITY,
           Kept.COUNTERS, (NOBODY,), pseudonymous="key", none="failures window_start locked_until"),
    _table("processed_updates", "Telegram updates already handled, so a redelivery is ignored", Basis.SECURITY,
           Kept.COUNTERS, (NOBODY,), none="source update_id at"),
    _table("console_users", "console accounts", Basis.STAFF, Kept.CASE_FILE, (OPERATORS,),
           staff="name role password_hash failed_attempts locked_until created_at disabled"),
    _table("console_sessions", "signed-in console sessions (keyed hashes of the tokens)", Basis.STAFF, Kept.COUNTERS,
           (NOBODY,), staff="name", none="token_hash csrf created_at expires_at"),
    _table("consents", "each yes or no to a purpose (economic-status check, each charity recipient), with the "
           "notice version shown: the proof of consent, kept after the data as anonymised proof", Basis.AUTHORISATION,
           Kept.CONSENTS, (CASEWORKERS, RESIDENT), pseudonymous="subject",
           case="purpose recipient granted notice_version channel method at intake_id", staff="collected_by",
           none="id"),
    _table("rights_requests", "residents' requests to see, copy, correct or delete their data, withdraw a consent "
           "or have a person review an automated result, tracked to a reply", Basis.DUTY, Kept.CASE_FILE,
           (CASEWORKERS, RESIDENT), personal="detail reply", staff="taken_by answered_by",
           case="intake_id kind method received_at due_at status answered_at", none="id"),
    _table("retention_runs", "each retention sweep and the counts it removed (no personal data)", Basis.SECURITY,
           Kept.CASE_FILE, (OPERATORS,), none="id started_at finished_at dry_run counts"),
    _table("channel_tokens", "partner apps allowed on the HTTP chat API", Basis.SECURITY, Kept.CASE_FILE, (NOBODY,),
           none="name token_hash created_at"),
    _table("wechat_tokens", "the WeChat account's API access token (encrypted), shared by every process; no "
           "resident data", Basis.SECURITY, Kept.CASE_FILE, (NOBODY,),
           none="app_id token expires_at lease_until holder forced_at"),
)

# Redis key families (`intake.keys.redis_key(prefix, kind, ...)`), when Redis is configured
REDIS = (
    Holding("redis", "state", "an unfinished application between turns (encrypted)", Basis.DUTY, Kept.UNFINISHED,
            (NOBODY,)),
    Holding("redis", "lock", "one turn at a time per conversation (no content)", Basis.DUTY, Kept.COUNTERS, (NOBODY,)),
    Holding("redis", "mailbox", "messages waiting for a resident (encrypted)", Basis.DUTY, Kept.UNFINISHED,
            (RESIDENT,)),
    Holding("redis", "mailbox-waiting", "which mailboxes have messages (keyed hashes)", Basis.DUTY, Kept.UNFINISHED,
            (NOBODY,)),
    Holding("redis", "queue", "intake numbers waiting for a caseworker (no personal data)", Basis.DUTY, Kept.CLOSED,
            (CASEWORKERS,)),
    Holding("redis", "published", "outbox rows already queued (no personal data)", Basis.DUTY, Kept.COUNTERS,
            (NOBODY,)),
    Holding("redis", "telegram", "the Telegram poller's lease and update ids already handled", Basis.SECURITY,
            Kept.COUNTERS, (NOBODY,)),
    Holding("redis", "guess", "resume code guesses per guesser (keyed hashes), one hour", Basis.SECURITY,
            Kept.COUNTERS, (NOBODY,)),
    Holding("redis", "rate", "web chat messages per visitor a minute (keyed by visitor or address)", Basis.SECURITY,
            Kept.COUNTERS, (NOBODY,)),
)

FILES = (
    Holding("files", "attachments", "files residents send (receipts, certificates), encrypted, under random names",
            Basis.AUTHORISATION, Kept.RECEIPTS, (CASEWORKERS,)),
)

# who processes resident data outside the service (entrusted processing, PIPL Art. 21)
PROCESSORS = (
    Holding("processor", "telegram", "carries the conversation when a resident chooses Telegram (Telegram's servers "
            "are outside mainland China: offered only as the resident's own choice)", Basis.DUTY, Kept.UNFINISHED,
            ("Telegram",)),
    Holding("processor", "wechat", "carries the conversation on the WeChat service account, and its speech "
            "recognition when a resident sends voice", Basis.DUTY, Kept.UNFINISHED, ("Tencent (WeChat)",)),
    Holding("processor", "partner-apps", "partner apps on the HTTP chat API carry the conversation to the service",
            Basis.DUTY, Kept.UNFINISHED, ("each registered partner app (`shanqiao channels list`)",)),
    Holding("processor", "llm", "a policy question's text, when SHANQIAO_LLM_BASE_URL is set (unset: nothing "
            "leaves the service)", Basis.DUTY, Kept.QUESTIONS, ("the configured model endpoint",)),
)


def holdings() -> tuple[Holding, ...]:
    """Every declared place resident data lives."""
    return (*TABLES, *REDIS, *FILES, *PROCESSORS)


def undeclared(metadata: MetaData = Base.metadata) -> list[str]:
    """`table.column` of every column in the models that the inventory does not describe, and declared
    columns or tables the models no longer have."""
    declared = {holding.name: holding.columns for holding in TABLES}
    missing = [f"{table.name}.{column.name}" for table in metadata.sorted_tables
               for column in table.columns if column.name not in declared.get(table.name, {})]
    tables = {table.name: {c.name for c in table.columns} for table in metadata.sorted_tables}
    stale = [f"{name}.{column} (no such column)" for name, columns in declared.items()
             for column in columns if column not in tables.get(name, ())]
    return missing + stale


def inventory(retention: Retention | None = None) -> dict[str, Any]:
    """The inventory as data: every holding (tables with each column's class) and the retention periods."""
    retention = retention or Retention()
    return {"holdings": [holding.as_dict(retention) for holding in holdings()],
            "retention": {kept.value: (period.days if period else None) for kept, period in retention.table()},
            "undeclared": undeclared()}
