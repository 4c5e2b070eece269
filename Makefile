# GANs vs Autoencoders: the two commands of the README, and helpers.
#   make book   set up, fetch data, execute every chapter, build the website
#   make test   set up, fetch data, run the whole test suite
#   make bench  speed and memory table, JSON under bench/results/
#   make reproduce  re-run chapters in full mode, compare with book/reference/
#   make serve  the built website on 127.0.0.1 (the in-browser models need http)
#   make lab    JupyterLab with the chapters' lab editions (numbers shown, solutions closed)
#   make handout  the chapters for a class, without solutions, and a solutions edition
#   make assignments  the chapters' exercises as an nbgrader course (release, autograde)
SHELL := /bin/bash
# Python caches each module's bytecode in __pycache__ (ignored by git) when it is first
# imported.  Where the environment turns that off, every process -- each chapter's kernel,
# each training subprocess -- compiles torch from source again: 4-8 s each, measured.
unexport PYTHONDONTWRITEBYTECODE
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: book test bench reproduce lab handout assignments data setup site-assets serve zoo clean

# The venv is (re)installed only when pyproject.toml changes, so a second run
# spends its set-up time on checking data checksums only.  --no-compile: Python compiles
# each module when it is first imported, instead of pip compiling every file it installs.
$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --no-compile -e '.[book,test,lab]'
	@touch $@

# nbgrader (the `instructor` extra) only where grading happens: `make assignments` and the
# tests (their round trip); a student's `make lab` gets no nbgrader menus in JupyterLab.
INSTRUCTOR := $(VENV)/.installed-instructor
$(INSTRUCTOR): $(STAMP)
	$(PY) -m pip install --quiet --disable-pip-version-check --no-compile -e '.[instructor]'
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

test: data site-assets $(INSTRUCTOR)
	$(VENV)/bin/ruff check gae_lib tests bench
	$(PY) -m pytest

# Speed and memory: inversion batched vs per image, FLOP/s, training, chapters, book build.
bench: data site-assets
	$(PY) bench/run.py $(BENCH_ARGS)

# Re-run every chapter that has a reference in full mode; print the differences.
reproduce: data
	$(PY) -m gae_lib.reproduce $(CHAPTERS)

# The chapters' lab editions (gae_lib/edition.py) in lab/, opened in JupyterLab: numbers from
# the book's run, citations as text, solutions in closed dropdowns (jupyterlab-myst).  A
# notebook you have edited there is kept when the chapter changes (the command says so).
lab: data
	$(PY) -m gae_lib.edition lab
	$(VENV)/bin/jupyter lab lab/ $$([ "$$(id -u)" = 0 ] && echo --allow-root)

# For a class: _build/handout/student/ (no solutions) and _build/handout/solutions/ (each
# answer cell filled in).  HANDOUT_ARGS="-p QUICK True" sets a parameter in every chapter.
handout: $(STAMP)
	$(PY) -m gae_lib.edition handout $(HANDOUT_ARGS)

# For a graded lab course: an nbgrader course directory in _build/assignments/ (source/ and
# release/ of every chapter with exercises, nbgrader_config.py; gae_lib/assignments.py).
# ASSIGNMENT_ARGS="-p QUICK False" sets a parameter; README "Teaching with this book".
assignments: data $(INSTRUCTOR)
	$(PY) -m gae_lib.edition nbgrader --release $(ASSIGNMENT_ARGS)

# Retrain and ship a document's models (DOC=favuzzi2019; default: every document), in the
# order their dependencies give (a frozen generator, the classifier), then list the zoo.
zoo: data
	$(PY) -m gae_lib train-zoo $(DOC) --replace
	$(PY) -m gae_lib zoo --samples _build/zoo-samples

clean:
	rm -rf _build .pytest_cache .hypothesis
