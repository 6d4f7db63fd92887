"""Logging set-up: JSON lines in production; records carry no personal data by construction."""
from __future__ import annotations

import json
import logging
import sys

_SAFE_EXTRAS = ("channel", "intake_id", "status", "actor")


class JsonLines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {"at": self.formatTime(record), "level": record.levelname, "logger": record.name,
                 "message": record.getMessage()}
        entry.update({key: getattr(record, key) for key in _SAFE_EXTRAS if hasattr(record, key)})
        if record.exc_info:
            entry["error"] = record.exc_info[0].__name__ if record.exc_info[0] else None
        return json.dumps(entry, ensure_ascii=False)


def setup_logging(*, json_lines: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonLines() if json_lines else logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    logging.basicConfig(level=logging.INFO, handlers=[handler], force=True)
    # HTTP clients log request URLs at INFO, and the Bot API puts the bot token in the URL
    for noisy in ("httpx", "httpcore", "aiohttp.access", "bm25s"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
