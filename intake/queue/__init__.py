"""The caseworker queue: an embedded SQL backend and a Redis Streams backend behind one interface."""
from intake.queue.base import DEFAULT_LEASE, BaseQueue, EntryStatus, QueueEntry
from intake.queue.sql import SqlQueue

__all__ = ["DEFAULT_LEASE", "BaseQueue", "EntryStatus", "QueueEntry", "SqlQueue"]
