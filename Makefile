PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench install

$(BIN)/python:
	$(PY) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/shanqiao db upgrade
	$(BIN)/shanqiao serve

test: $(STAMP)
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python -m tests.bench.bench_chat
	$(BIN)/python -m tests.bench.bench_knowledge
	$(BIN)/python -m tests.bench.starts
	$(BIN)/python -m tests.bench.bench_queue
	$(BIN)/python -m tests.bench.bench_telegram
	$(BIN)/python -m tests.bench.bench_wechat
	$(BIN)/python -m tests.bench.bench_receipts
	$(BIN)/python -m tests.bench.reading
	$(BIN)/python -m tests.bench.bench_load --residents 200 --seconds 120
