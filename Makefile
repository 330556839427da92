# Two commands for a fresh machine: `make demo` and `make test`.
# Both create the virtual environment .venv when it is missing.

PYTHON ?= python3
VENV   ?= .venv
# Test workers: twice the cores, as many tests wait on a server or a timeout.
WORKERS ?= $(shell echo $$(( $$(nproc 2>/dev/null || echo 1) * 2 )))
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install demo test test-min check bench bench-kpi bench-report bench-import clean docs docs-site

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,postgres,mysql]'
	@touch $(STAMP)

install: $(STAMP)

# The documentation site's tools (MkDocs), for `make docs-site` and `make check`
# only: `make test` does not need them.
DOCS_STAMP := $(VENV)/.installed-docs
$(DOCS_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[docs]'
	@touch $(DOCS_STAMP)

demo: $(STAMP)
	$(BIN)/tagctl demo --catalog tag-catalog
	$(BIN)/tagctl lint tag-catalog
	$(BIN)/tagctl kpi --catalog tag-catalog --save
	$(BIN)/tagctl report --catalog tag-catalog --from-history --out tag-catalog/.tagctl/report.html

test: $(STAMP)
	$(BIN)/python -m pytest -q -n $(WORKERS) --dist loadgroup --durations=10

# The tests on the declared minimum versions (on the oldest Python supported, when present), in .venv-min/.
test-min:
	WORKERS=$(WORKERS) bash .ci/min-versions

check: $(STAMP) $(DOCS_STAMP)
	$(BIN)/ruff check tagctl tests benchmarks
	$(BIN)/ruff format --check tagctl tests benchmarks
	$(BIN)/mypy
	$(BIN)/python -m pytest -q -p no:cacheprovider tests/test_architecture.py  # the import contract
	$(MAKE) --no-print-directory docs-site  # every link, anchor and nav entry of docs/

bench: $(STAMP)
	$(BIN)/python benchmarks/lint_bench.py

bench-kpi: $(STAMP)
	$(BIN)/python benchmarks/kpi_bench.py

bench-report: $(STAMP)
	$(BIN)/python benchmarks/report_bench.py

bench-import: $(STAMP)
	$(BIN)/python benchmarks/import_bench.py

clean:
	rm -rf $(VENV) build dist site .pytest_cache .mypy_cache .ruff_cache tag-catalog/.tagctl

# The generated sections of docs/ (tests/test_docs.py checks that each is current).
docs: $(STAMP)
	$(BIN)/python -m tagctl.lint.docs docs/rules.md
	$(BIN)/python -m tagctl.scaffold.docs docs/init.md
	$(BIN)/python -m tagctl.scaffold.schemadocs docs/configuration.md docs/formats.md

# The site, into site/ (git-ignored); --strict fails on a broken link or anchor
# and on a page missing from the nav of mkdocs.yml.
docs-site: $(DOCS_STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet -d site
