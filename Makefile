# The commands README.md names. `make run` and `make test` each do all of their set-up.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
RUN_DATA ?= $(HOME)/.local/share/Caseworker

.PHONY: run test lint format bench build system-packages docs-packages venv translations update-translations clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,upstream,build]'
	touch $@

venv: $(VENV)/.installed

# What needs the venv in place: ours (.venv) is made and kept up to date here; one given
# from outside (`make build VENV=/opt/cw-venv`) is used as it is, never installed into.
ifeq ($(VENV),.venv)
VENV_READY := $(VENV)/.installed
else
VENV_READY :=
endif

# Qt translations: .ts sources are kept in git, .qm files are built from them.
TS_FILES := $(wildcard resources/translations/*.ts)
QM_FILES := $(TS_FILES:.ts=.qm)

%.qm: %.ts $(VENV_READY)
	$(VENV)/bin/pyside6-lrelease -silent $< -qm $@

translations: $(QM_FILES)

# Refresh the .ts sources from the code (then translate the new entries).
update-translations: venv
	$(VENV)/bin/pyside6-lupdate -locations none -no-obsolete $$(find caseworker/ui -name '*.py') -ts $(TS_FILES)

system-packages:
	./installer/system-packages.sh

# What docs/take_*_screenshots.py need beyond the tests (LibreOffice for spreadsheets).
docs-packages:
	./installer/system-packages.sh docs

# Starts the desktop app; with no centre yet, a demo centre (operators admin/supervisor/clerk,
# password demo) is created first so there is something to look at.
run: system-packages venv translations
	@if [ ! -e "$${CASEWORKER_HOME:-$(RUN_DATA)}/caseworker.keys" ]; then \
		CASEWORKER_HOME="$${CASEWORKER_HOME:-$(RUN_DATA)}" $(VENV)/bin/caseworker demo --persons 2000; fi
	CASEWORKER_HOME="$${CASEWORKER_HOME:-$(RUN_DATA)}" $(VENV)/bin/caseworker

test: system-packages venv translations
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	QT_QPA_PLATFORM=offscreen $(VENV)/bin/pytest -n 2 -q

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format:
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: venv
	$(PY) -m bench

# The frozen one-folder app (installer/caseworker.spec) in dist/caseworker, and on Linux
# dist/caseworker-VERSION-linux-ARCH.tar.gz (install.sh inside installs for one user);
# on Windows then compile installer/windows/caseworker.iss with Inno Setup (README).
build: $(VENV_READY) translations
	$(PY) -m installer.build --dist dist --work build

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis build dist
