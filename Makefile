# The two commands a newcomer needs are `make report` and `make test` (see README.md).

# Python versions the package supports (pyproject.toml, requires-python); the first of
# python3.11, python3.12, python3.13, python3 that runs and is one of them builds .venv
# (`make PY=/path/python` to choose another).
SUPPORTED_PYTHONS := 3.11 3.12 3.13
PY_VERSION_OF = $(shell $(1) -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)
ifndef PY
PY := $(firstword $(foreach p,$(addprefix python,$(SUPPORTED_PYTHONS)) python3,\
	$(if $(filter $(SUPPORTED_PYTHONS),$(call PY_VERSION_OF,$(p))),$(p))))
endif
PY_VERSION := $(if $(PY),$(call PY_VERSION_OF,$(PY)))
PY_FOUND = $(if $(PY),$(PY) is $(if $(PY_VERSION),Python $(PY_VERSION),not a Python that runs),$\
	no $(addprefix python,$(SUPPORTED_PYTHONS)) was found and python3 is $\
	$(if $(call PY_VERSION_OF,python3),Python $(call PY_VERSION_OF,python3),missing))
VENV := .venv
BIN := $(VENV)/bin
# one stamp per Python version: a .venv made by another Python is rebuilt
STAMP := $(VENV)/.installed-python$(PY_VERSION)
# reports run at once: empty = one per core (as `srb-eval render`); `make report JOBS=1`
JOBS ?=
# pytest-xdist workers of `make test`: auto = one per core
WORKERS ?= auto

.PHONY: venv report test lint notebooks docs demo-data bench a11y clean messages

$(STAMP): pyproject.toml constraints.txt jupyter_server_config.json
	@if [ -z "$(filter $(SUPPORTED_PYTHONS),$(PY_VERSION))" ]; then \
	  echo "No supported Python: srb-eval needs Python $(SUPPORTED_PYTHONS) (pyproject.toml)," \
	    "and $(PY_FOUND)." >&2; \
	  echo "Install Python $(firstword $(SUPPORTED_PYTHONS)) (apt install python$(firstword $(SUPPORTED_PYTHONS))-venv," \
	    "pyenv, uv python install $(firstword $(SUPPORTED_PYTHONS)), or conda with environment.yml)" \
	    "or name one: make PY=/path/to/python$(firstword $(SUPPORTED_PYTHONS))" >&2; \
	  exit 1; fi
	@echo "Using $(PY) (Python $(PY_VERSION)) for $(VENV)"
	@if [ -x $(BIN)/python ] && [ "$$($(BIN)/python -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)" != "$(PY_VERSION)" ]; then \
	  echo "$(VENV) was made by another Python ($$($(BIN)/python --version 2>&1 || echo broken)): removing it"; \
	  rm -rf $(VENV); fi
	@echo "[1/3] creating $(VENV)"
	$(PY) -m venv $(VENV)
	@echo "[2/3] installing the pinned dependencies into $(VENV) (about 2-3 minutes the first time)"
	$(BIN)/python -m pip install --disable-pip-version-check -c constraints.txt -e ".[dev]"
	@echo "[3/3] registering the Jupyter kernel and the JupyterLab settings"
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 > /dev/null
	mkdir -p $(VENV)/etc/jupyter
	cp jupyter_server_config.json $(VENV)/etc/jupyter/jupyter_server_config.json
	rm -f $(VENV)/.installed-*
	touch $(STAMP)
	@echo "$(VENV) is ready (Python $(PY_VERSION))"

venv: $(STAMP)

## Render the whole report suite on the embedded demo data into rendered/demo/.
report: $(STAMP)
	@echo "Rendering the demo suite into rendered/demo/ (about 20 s on 2 cores)"
	$(BIN)/srb-eval render parameters/demo.yaml --out rendered/demo$(if $(JOBS), --jobs $(JOBS))

## Run every test: lint, unit tests, notebook execution and nbval, on one pytest-xdist
## worker per core (`make test WORKERS=1` for one); each notebook's cells stay on one worker.
## Python keeps the bytecode of the package and the tests in __pycache__ folders (git-ignored)
## also where PYTHONDONTWRITEBYTECODE is set: each test process and kernel otherwise
## compiled them again (about 7 s of the run).
test: $(STAMP)
	$(BIN)/lint-imports
	$(BIN)/ruff check srb_eval tests $(wildcard benchmarks)
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest -n $(WORKERS) --dist loadscope --no-loadscope-reorder --durations=10

lint: $(STAMP)
	$(BIN)/lint-imports
	$(BIN)/ruff check srb_eval tests $(wildcard benchmarks)

## Rebuild notebooks/*.ipynb from their jupytext sources (notebooks/*.py) and store
## their outputs on the demo data (validated by nbval in `make test`). NB=10_x for one.
notebooks: $(STAMP)
	$(BIN)/python -m srb_eval.run.nbtools $(NB)

## Extract the report text into srb_eval/locale/srb_eval.pot and merge it into the Welsh
## catalogue srb_eval/locale/cy/LC_MESSAGES/srb_eval.po (new messages come in untranslated
## or fuzzy, for a translator; the reports read the .po itself, no compile step).
messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k N_ --add-comments=Translators: --sort-by-file \
	  --project=srb-eval --copyright-holder="srb-eval contributors" \
	  --msgid-bugs-address="" -o srb_eval/locale/srb_eval.pot .
	$(BIN)/pybabel update -i srb_eval/locale/srb_eval.pot -d srb_eval/locale -D srb_eval -l cy \
	  --ignore-obsolete

## Regenerate docs/data-dictionary.md from the schema.
docs: $(STAMP)
	$(BIN)/python -m srb_eval.data.dictionary > docs/data-dictionary.md

## Regenerate the committed demo dataset in data/demo/.
demo-data: $(STAMP)
	$(BIN)/srb-eval demo --out data/demo --learners 150 --years 4 --seed 2025 --force

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

## Accessibility: render the demo suite into rendered/a11y/ and check every page with the
## WCAG 2.1 A and AA rules of axe-core in headless Chromium (needs Node.js with npm and
## Chromium: apt install nodejs npm chromium; CHROMIUM=/path/to/chromium to choose one).
a11y: $(STAMP)
	@command -v node > /dev/null && command -v npm > /dev/null || { \
	  echo "make a11y needs Node.js and npm (apt install nodejs npm)" >&2; exit 1; }
	@test -x "$${CHROMIUM:-/usr/bin/chromium}" || { \
	  echo "make a11y needs Chromium (apt install chromium, or CHROMIUM=/path/to/chromium)" >&2; \
	  exit 1; }
	cd tests/a11y && npm ci --no-audit --no-fund --silent
	rm -rf rendered/a11y
	$(BIN)/srb-eval render parameters/demo.yaml --out rendered/a11y --quiet
	node tests/a11y/axe_check.js rendered/a11y/*.html rendered/a11y/published/*.html

clean:
	rm -rf $(VENV) rendered/demo rendered/a11y tests/a11y/node_modules
