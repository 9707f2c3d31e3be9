# The two set-up commands of README.md: `make serve` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: serve test build install browser clean bench

$(BIN)/cchc: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

install: $(BIN)/cchc

build: install
	$(BIN)/cchc build

serve: install
	$(BIN)/cchc serve

# Page tests drive Debian's Chromium (Playwright cannot download browsers here).
browser:
	@command -v chromium >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium; }

test: install browser
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) output

# The benchmark at the default size (5,000 items, 20,000 commits); see docs/performance.md.
bench: install
	$(BIN)/cchc bench --json bench.json
