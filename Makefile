# Two commands on a fresh machine: `make run` and `make test`.
# Each bootstraps .venv with a Python >= 3.12 and installs what it needs.

VENV    := .venv
PY      := $(VENV)/bin/python
SCENARIO ?= scenarios/geneva_2022.yaml
STAMP   := $(VENV)/.installed

.PHONY: run test bench venv clean

$(STAMP): pyproject.toml tools/bootstrap.sh
	@sh tools/bootstrap.sh $(VENV)
	@touch $(STAMP)

venv: $(STAMP)

run: $(STAMP)
	$(VENV)/bin/armsim run $(SCENARIO)

# the tests, then the notebooks of examples/ (nbmake runs each in a fresh python3 kernel,
# from its own folder; at most 300 s per cell)
test: $(STAMP)
	$(PY) -m pytest -q --nbmake --nbmake-timeout=300

bench: $(STAMP)
	$(PY) -m pytest benchmarks --benchmark-only -q

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis .benchmarks
