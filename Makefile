# Two commands do everything on a fresh machine:
#   make run   - set up, train if needed, start the hotline (web chat on http://localhost:5005/webhooks/webchat/)
#   make test  - set up, train if needed, run the whole test suite (SQLite, then PostgreSQL)
# Other targets: venv, model, db, lint, nlu-report, lock, clean, test-sqlite, test-postgresql,
#   bench, eval.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test test-sqlite test-postgresql venv model db lint nlu-report lock clean doctor

venv: $(STAMP)

$(STAMP): requirements.lock pyproject.toml scripts/bootstrap-venv
	scripts/bootstrap-venv $(VENV)

model: venv
	$(PY) -m bot train

db: venv
	$(PY) -m bot db upgrade

run: model db
	$(PY) -m bot run

# `make test` runs the suite twice: every test on SQLite, then every test that
# touches a database (unit, integration and fuzz tests; the test conversations
# and the NLU report need no database) on a throwaway PostgreSQL cluster with
# Redis (scripts/test-services; needs the Debian packages postgresql and
# redis-server). Fixtures take their database from tests/databases.py, so the
# same tests run on PostgreSQL; test_no_plaintext scans a pg_dump there. Tests
# marked `supervision` (killing and restarting processes, whatever the database)
# run once, in the SQLite pass; the crash, outage and order tests run in both.
PG_TESTS := tests/unit tests/integration tests/fuzz -m "not supervision"
# Each pass runs on TEST_WORKERS processes (pytest-xdist); a test file stays whole on
# one worker, so its module fixtures (a running hotline, a fake provider) start once.
# Every hotline a test starts has its own ports, files and database. TEST_WORKERS=0
# runs in one process.
TEST_WORKERS ?= 2
XDIST := -n $(TEST_WORKERS) --dist loadfile

test: model
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgresql

test-sqlite: model
	env -u HOTLINE_TEST_DATABASE -u HOTLINE_TEST_REDIS_URL $(PY) -m pytest $(XDIST)

test-postgresql: model
	scripts/test-services $(PY) -m pytest $(XDIST) $(PG_TESTS)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

doctor: venv
	$(PY) -m bot doctor

nlu-report: model
	$(PY) -m bot nlu-report

# Re-resolve requirements.in into requirements.lock (needs the package registry).
lock:
	scripts/bootstrap-venv --relock $(VENV)

clean:
	rm -rf $(VENV) models/*.tar.gz models/.fingerprint

# Benchmark: N texters over signed Twilio webhooks vs raw Rasa, memory, cold start,
# training time (docs/performance.md). Not part of `make test`. Options go in BENCH_ARGS,
# e.g. make bench BENCH_ARGS="--texters 10 --duration 60 --skip-training".
# Soak: make bench-soak (10 minutes) or make bench SOAK=1800.
.PHONY: bench bench-soak bench-reports
BENCH_ARGS ?=
SOAK ?=

bench: model
	$(PY) -m bench $(if $(SOAK),--soak $(SOAK)) $(BENCH_ARGS)

# Reports page speed on a year of synthetic traffic (no model needed).
bench-reports:
	$(PY) -m bench.reports $(BENCH_ARGS)

bench-soak: model
	$(PY) -m bench --soak $(or $(SOAK),600) $(BENCH_ARGS)

# Blind evaluation (tests/blind, README "Blind evaluation"): every case end to end through
# the web chat of a freshly started hotline; prints pass rates, writes var/eval/<ts>.json.
# A report, not a gate. Options go in EVAL_ARGS, e.g.
# make eval EVAL_ARGS="--set set1 --lang es --concurrency 3 --out var/eval/es.json".
.PHONY: eval
EVAL_ARGS ?=

eval: model
	$(PY) -m evaluation $(EVAL_ARGS)
