# Two commands do all set-up on a fresh machine:
#   make demo   the whole pipeline end to end on the embedded defaults (local Kafka, SQLite)
#   make test   the whole test suite (real Kafka broker and PostgreSQL, started by the tests)
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
PYTEST_ARGS ?= -q -p no:cacheprovider --durations=15

.PHONY: demo test setup system venv broker lint schemas config-doc train bench clean

demo: setup
	$(BIN)/newswire demo

test: setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)

setup: system venv broker

system:
	bash deploy/setup-system.sh

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[test]"
	touch $@

broker: venv
	$(BIN)/newswire broker fetch

lint: venv
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/newswire schemas check
	$(BIN)/newswire settings check

schemas: venv
	$(BIN)/newswire schemas export

config-doc: venv
	$(BIN)/newswire settings export

train: venv   # the event status model from corpus/ (deterministic; a test checks the shipped one)
	$(BIN)/newswire train corpus/

clean:
	rm -rf $(VENV) .newswire newswire.db *.egg-info
