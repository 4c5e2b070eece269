# GANs vs Autoencoders: the two commands of the README, and helpers.
#   make book   set up, fetch data, execute every chapter, build the website
#   make test   set up, fetch data, run the whole test suite
#   make bench  speed and memory table, JSON under bench/results/
#   make reproduce  re-run chapters in full mode, compare with book/reference/
#   make lab    JupyterLab with the chapters opening as notebooks
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: book test bench reproduce lab data setup site-assets zoo clean

# MathJax is served by the website itself (no CDN): the npm package, checked by sha256.
MATHJAX := book/_static/mathjax
MATHJAX_VERSION := 3.2.2
MATHJAX_SHA256 := 1b9c0a1c44df864e915690558e72adb9cc5203360daefd385084ced3b6c64c09

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

$(MATHJAX)/tex-chtml.js:
	@rm -rf $(MATHJAX) && mkdir -p $(MATHJAX)
	@tmp=$$(mktemp -d) && cd $$tmp && npm pack mathjax@$(MATHJAX_VERSION) --silent >/dev/null \
	  && echo "$(MATHJAX_SHA256)  mathjax-$(MATHJAX_VERSION).tgz" | sha256sum -c --quiet \
	  && tar xzf mathjax-$(MATHJAX_VERSION).tgz && cd package/es5 \
	  && cp -r --parents tex-chtml.js output/chtml/fonts input/tex/extensions ui a11y $(CURDIR)/$(MATHJAX) \
	  && rm -rf $$tmp && echo "MathJax $(MATHJAX_VERSION) vendored into $(MATHJAX)"

# plotly.js for the kernel-free figures: the copy inside the installed plotly package.
PLOTLYJS := book/_static/plotly/plotly.min.js
$(PLOTLYJS): $(STAMP)
	@mkdir -p $(dir $@)
	cp "$$($(PY) -c 'import plotly, pathlib; print(pathlib.Path(plotly.__file__).parent / "package_data" / "plotly.min.js")')" $@

site-assets: $(MATHJAX)/tex-chtml.js $(PLOTLYJS)

book: data site-assets
	$(VENV)/bin/jupyter-book build . -W --keep-going
	@echo ""
	@echo "Website: $(CURDIR)/_build/html/index.html"

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
