# The two commands a newcomer needs are `make report` and `make test` (see README.md).
PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# reports run at once: empty = one per core (as `srb-eval render`); `make report JOBS=1`
JOBS ?=

.PHONY: venv report test lint notebooks docs demo-data bench clean

$(STAMP): pyproject.toml constraints.txt jupyter_server_config.json
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[dev]"
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 > /dev/null
	mkdir -p $(VENV)/etc/jupyter/jupyter_server_config.d
	cp jupyter_server_config.json $(VENV)/etc/jupyter/jupyter_server_config.d/srb-eval.json
	touch $(STAMP)

venv: $(STAMP)

## Render the whole report suite on the embedded demo data into rendered/demo/.
report: $(STAMP)
	$(BIN)/srb-eval render parameters/demo.yaml --out rendered/demo$(if $(JOBS), --jobs $(JOBS))

## Run every test: lint, unit tests, notebook execution and nbval.
test: $(STAMP)
	$(BIN)/lint-imports
	$(BIN)/ruff check srb_eval tests $(wildcard benchmarks)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/lint-imports
	$(BIN)/ruff check srb_eval tests $(wildcard benchmarks)

## Rebuild notebooks/*.ipynb from their jupytext sources (notebooks/*.py) and store
## their outputs on the demo data (validated by nbval in `make test`). NB=10_x for one.
notebooks: $(STAMP)
	$(BIN)/python -m srb_eval.run.nbtools $(NB)

## Regenerate docs/data-dictionary.md from the schema.
docs: $(STAMP)
	$(BIN)/python -m srb_eval.data.schema > docs/data-dictionary.md

## Regenerate the committed demo dataset in data/demo/.
demo-data: $(STAMP)
	$(BIN)/srb-eval demo --out data/demo --learners 150 --years 4 --seed 2025 --force

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) rendered/demo
