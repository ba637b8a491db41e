# Two commands on a fresh machine: `make run` and `make test`.
# Each bootstraps .venv with a Python >= 3.12 and installs what it needs: `make run` armsim
# and its core dependencies only; `make test` adds the extras the tests use, in the same
# .venv (a later `make test` after `make run` only adds what is missing).

VENV      := .venv
PY        := $(VENV)/bin/python
SCENARIO  ?= scenarios/geneva_2022.yaml
RUN_STAMP := $(VENV)/.installed-run
TEST_STAMP := $(VENV)/.installed-test
TEST_EXTRAS := test,viz,sweep,distributed

.PHONY: run test bench venv clean

$(RUN_STAMP): pyproject.toml tools/bootstrap.sh
	@sh tools/bootstrap.sh $(VENV)
	@touch $(RUN_STAMP)

$(TEST_STAMP): $(RUN_STAMP)
	@sh tools/bootstrap.sh $(VENV) $(TEST_EXTRAS)
	@touch $(TEST_STAMP)

venv: $(RUN_STAMP)

run: $(RUN_STAMP)
	$(VENV)/bin/armsim run $(SCENARIO)

# the tests, then the notebooks of examples/ (nbmake runs each in a fresh python3 kernel,
# from its own folder; at most 300 s per cell)
test: $(TEST_STAMP)
	$(PY) -m pytest -q --nbmake --nbmake-timeout=300

bench: $(TEST_STAMP)
	$(PY) -m pytest benchmarks --benchmark-only -q

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis .benchmarks
