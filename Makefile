# Tsumiki — the two set-up commands are `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: install run migrate demo test test-unit test-integration lint bench eval clean

# (Re)create the virtualenv when requirements change. torch is installed first, pinned, so pip
# takes the CPU build on this disk instead of resolving a multi-GB CUDA build.
$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q torch==2.13.0
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
	@command -v msgfmt >/dev/null && $(PY) manage.py compilemessages -l ja --ignore=.venv -v0 || echo "msgfmt not found: install gettext for Japanese translations"

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py seed_demo

run: demo
	@echo ""
	@echo "Tsumiki is starting on http://127.0.0.1:$(PORT)/"
	@echo "  recruiter login: recruiter / tsumiki-demo"
	@echo "  job seeker login: seeker / tsumiki-demo"
	@echo ""
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: lint test-unit test-integration

# Unit, API and browser tests: SQLite, eager Celery, headless Chromium.
test-unit: install
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest -q -n 2 -m "not integration"

# The real services: PostgreSQL, Redis and Celery worker processes.
test-integration: install
	DATABASE_URL=$${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} \
	CELERY_BROKER_URL=$${TEST_REDIS_URL:-redis://127.0.0.1:6379/15} \
	$(PY) -m pytest -q -m integration tests/integration

# Schemathesis against a live runserver on PostgreSQL (tests/integration/test_fuzz_live.py) with a random
# seed and TSUMIKI_FUZZ_EXAMPLES cases per operation (default 100: about ten thousand cases in all);
# `make test` runs the same test with a fixed seed and 10 per operation. The seed is printed.
fuzz: install
	DATABASE_URL=$${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} \
	CELERY_BROKER_URL=$${TEST_REDIS_URL:-redis://127.0.0.1:6379/15} \
	TSUMIKI_FUZZ_EXAMPLES=$${TSUMIKI_FUZZ_EXAMPLES:-100} \
	TSUMIKI_FUZZ_SEED=$${TSUMIKI_FUZZ_SEED:-$$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')} \
	$(PY) -m pytest -q -s -m integration tests/integration/test_fuzz_live.py

# Style, formatting, the app-layer import contract (pyproject.toml) and typing (mypy: strict on the Django-free
# modules, with the django-stubs and DRF-stubs plugins on the Django layers listed in pyproject.toml).
lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/lint-imports
	$(PY) -m mypy

# Figures for docs/benchmarks.md: kernel, incremental, naive baselines, `rank` as a whole process on 10k and
# 100k candidates (imports ../shared/data/esco-v1.1.1 once into ~/.cache/tsumiki-bench), and (needs PostgreSQL + Redis)
# the end-to-end run with 1 and 2 Celery workers.
bench: install
	$(PY) bench/run.py --e2e

eval: install
	$(PY) ../shared/eval/evaluate.py --split ../shared/eval/dev

clean:
	rm -rf $(VENV) staticfiles db.sqlite3
