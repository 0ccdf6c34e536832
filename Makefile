# Two commands do everything on a fresh machine:
#   make run   - set up, train if needed, start the hotline (web chat on http://localhost:5005/webhooks/webchat/)
#   make test  - set up, train if needed, run the whole test suite
# Other targets: venv, model, db, lint, nlu-report, lock, clean.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test venv model db lint nlu-report lock clean doctor

venv: $(STAMP)

$(STAMP): requirements.lock pyproject.toml scripts/bootstrap-venv
	scripts/bootstrap-venv $(VENV)

model: venv
	$(PY) -m bot train

db: venv
	$(PY) -m bot db upgrade

run: model db
	$(PY) -m bot run

test: model
	$(PY) -m pytest

lint: venv
	$(VENV)/bin/ruff check .

doctor: venv
	$(PY) -m bot doctor

nlu-report: model
	$(PY) -m bot nlu-report

# Re-resolve requirements.in into requirements.lock (needs the package registry).
lock:
	scripts/bootstrap-venv --relock $(VENV)

clean:
	rm -rf $(VENV) models/*.tar.gz models/.fingerprint
