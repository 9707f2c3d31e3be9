# The two set-up commands of README.md: `make serve` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: serve test build install browser nginx ocr clean bench editor manuals

$(BIN)/cchc: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

# The contributors' editor (Decap CMS) and decap-server, exactly as the lock file says.
ADMIN := theme/admin
$(ADMIN)/node_modules/.package-lock.json: $(ADMIN)/package-lock.json
	npm ci --prefix $(ADMIN) --no-audit --no-fund --ignore-scripts --loglevel=error
	touch $@

install: $(BIN)/cchc $(ADMIN)/node_modules/.package-lock.json

build: install
	$(BIN)/cchc build

serve: install
	$(BIN)/cchc serve

# Page tests drive Debian's Chromium (Playwright cannot download browsers here).
browser:
	@command -v chromium >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium; }

# The deployment tests run Debian's nginx (deploy/nginx/cchc.conf) as a real process.
nginx:
	@PATH="$$PATH:/usr/sbin" command -v nginx >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq nginx-light; }

# Attachments without a text layer (scans, images) are read by Debian's tesseract (cchc.extract).
ocr:
	@command -v tesseract >/dev/null && tesseract --list-langs 2>/dev/null | grep -qx vie || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq tesseract-ocr tesseract-ocr-vie; }

test: install browser nginx ocr
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) output

# The editor on one's own computer: the site on :8000, decap-server (Git mode) on :8081.
editor: install
	$(BIN)/cchc build
	MODE=git GIT_REPO_DIRECTORY=$(CURDIR) BIND_HOST=127.0.0.1 node $(ADMIN)/node_modules/decap-server/dist/index.js & \
	  trap 'kill $$!' EXIT; $(BIN)/python -m http.server 8000 --bind 127.0.0.1 --directory output

# The benchmark at the default size (5,000 items, 20,000 commits); see docs/performance.md.
bench: install
	$(BIN)/cchc bench --json bench.json

# The manuals of /huong-dan/: their rule table from the catalogue, their screenshots
# (Debian's Chromium on the sample content and the editor); see scripts/manuals.py.
manuals: install browser
	$(BIN)/python scripts/manuals.py all
