"""Prometheus metrics served at /metrics; labels never carry personal data."""
from prometheus_client import Counter, Gauge, Histogram

TURNS = Counter("shanqiao_turns_total", "Conversation turns handled", ["channel", "moved"])
SUBMISSIONS = Counter("shanqiao_submissions_total", "Applications submitted", ["channel"])
QUEUE_DEPTH = Gauge("shanqiao_queue_depth", "Intakes waiting for a caseworker")
QUEUE_OLDEST_SECONDS = Gauge("shanqiao_queue_oldest_seconds", "Age of the oldest waiting intake")
ANSWER_CONFIDENCE = Histogram("shanqiao_answer_confident", "Knowledge-base answers given with confidence (1) or not (0)",
                              buckets=(0.5, 1.0))
