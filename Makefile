# GANs vs Autoencoders: the two commands of the README, and helpers.
#   make book   set up, fetch data, execute every chapter, build the website
#   make test   set up, fetch data, run the whole test suite
#   make bench  speed and memory table, JSON under bench/results/
#   make reproduce  re-run chapters in full mode, compare with book/reference/
#   make serve  the built website on 127.0.0.1 (the in-browser models need http)
#   make lab    JupyterLab with the chapters opening as notebooks
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: book test bench reproduce lab data setup site-assets serve zoo clean

# The venv is (re)installed only when pyproject.toml changes, so a second run
# spends its set-up time on checking data checksums only.  --no-compile: Python compiles
# each module when it is first imported, instead of pip compiling every file it installs.
$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --no-compile -e '.[book,test]'
	@touch $@

setup: $(STAMP)

data: $(STAMP)
	$(PY) -m gae_lib.data fetch

# The website serves its own MathJax, plotly.js and onnxruntime-web (npm packages checked
# by sha256; no CDN): gae_lib/site.py.
site-assets: $(STAMP)
	$(PY) -m gae_lib.site assets

book: data site-assets
	$(VENV)/bin/jupyter-book build . -W --keep-going
	@echo ""
	@echo "Website: $(CURDIR)/_build/html/index.html  (make serve: the live sliders need http)"

# The built website on 127.0.0.1 at a free port (printed): reading works from index.html on
# disk, but the in-browser models load only over http.
serve:
	$(PY) -m gae_lib.site serve

test: data site-assets
	$(VENV)/bin/ruff check gae_lib tests bench
	$(PY) -m pytest

# Speed and memory: inversion batched vs per image, FLOP/s, training, chapters, book build.
bench: data site-assets
	$(PY) bench/run.py $(BENCH_ARGS)

# Re-run every chapter that has a reference in full mode; print the differences.
reproduce: data
	$(PY) -m gae_lib.reproduce $(CHAPTERS)

# Markdown chapters open as notebooks (jupytext) when double-clicked.
lab: $(STAMP)
	@$(PY) -c 'import jupyterlab' 2>/dev/null || $(PY) -m pip install --quiet --disable-pip-version-check -e '.[book,test,lab]'
	@mkdir -p $(VENV)/share/jupyter/lab/settings
	@echo '{"@jupyterlab/docmanager-extension:plugin": {"defaultViewers": {"markdown": "Jupytext Notebook", "myst": "Jupytext Notebook"}}}' \
		> $(VENV)/share/jupyter/lab/settings/overrides.json
	$(VENV)/bin/jupyter lab book/ $$([ "$$(id -u)" = 0 ] && echo --allow-root)

# Retrain and ship a document's models (DOC=favuzzi2019; default: every document), in the
# order their dependencies give (a frozen generator, the classifier), then list the zoo.
zoo: data
	$(PY) -m gae_lib train-zoo $(DOC)
	$(PY) -m gae_lib zoo --samples _build/zoo-samples

clean:
	rm -rf _build .pytest_cache .hypothesis
