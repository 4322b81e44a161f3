# Quick start: `make site` then `make test`. Only python3 (>= 3.11) and make are needed.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: site test test-fast serve validate print lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

# the tests build the site with every engine (tests/test_engines.py): the engine extras come along
$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e ".[test,properdocs,zensical]"
	touch $@

site: $(VENV)/.installed            ## build site/ (pages, search index, PDFs)
	$(BIN)/playbook build $(if $(ENGINE),--engine $(ENGINE))

serve: $(VENV)/.installed           ## live preview on http://127.0.0.1:8000
	$(BIN)/playbook serve $(if $(ENGINE),--engine $(ENGINE))

validate: $(VENV)/.installed        ## check the company's own configuration: site_config/, playbook/, every template
	$(BIN)/playbook validate --strict

print: $(VENV)/.installed           ## every checklist, handout, workbook and answer key into out/print/
	$(BIN)/playbook print

test: lint                          ## lint, `validate` on the company's own configuration, then upstream's test suite (which never reads site_config/)
	$(BIN)/playbook validate --strict
	$(BIN)/python -m pytest -q

FAST := not (browser or site or office or slow)
test-fast: $(VENV)/.installed-test  ## the tests that need no browser, no site build, no LibreOffice (markers: tests/conftest.py)
	$(BIN)/python -m pytest -q -m "$(FAST)"

lint: $(VENV)/.installed-test       ## ruff (lint and format) and mypy (settings in pyproject.toml)
	$(BIN)/ruff check generator tests bench
	$(BIN)/ruff format --check generator tests bench
	$(BIN)/mypy

bench: $(VENV)/.installed-test      ## benchmarks (not part of the tests)
	$(BIN)/python bench/run.py

clean:
	rm -rf site .build/cache .build/jieba_user_dict.txt
