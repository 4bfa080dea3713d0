"""A command imports only what it needs: the command table, and what `find` really loads."""

from __future__ import annotations

import argparse
import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from caseworker.cli import COMMAND_MODULES, _command_in, _modules_for, build_parser
from tests.cli.test_cli import run

ROOT = Path(__file__).resolve().parents[2]
# What a quick look-up must never pay for: PDFs, HTTP, spreadsheets, migrations, Qt, and
# SQLAlchemy (importing it alone takes longer than `find` may: see store/direct.py).
HEAVY = (
    "reportlab",
    "httpx",
    "alembic",
    "mako",
    "openpyxl",
    "PySide6",
    "PIL",
    "segno",
    "sqlalchemy",
)
LOADED = """
import json, sys
from caseworker.cli import main
code = main(sys.argv[1:])
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


def test_the_command_table_names_the_module_that_registers_each_command():
    for module in set(COMMAND_MODULES.values()):
        commands = argparse.ArgumentParser().add_subparsers()
        importlib.import_module(f"caseworker.cli.{module}").register(commands)
        assert set(commands.choices) == {c for c, m in COMMAND_MODULES.items() if m == module}
    every = build_parser()._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    assert set(every) == set(COMMAND_MODULES)


@pytest.mark.parametrize(
    ("argv", "command"),
    [
        (["find", "002X"], "find"),
        (["--data-dir", "/tmp/x", "show", "1"], "show"),
        (["--data-dir=/tmp/x", "db", "upgrade"], "db"),
        (["--data-dir", "find"], None),  # the folder is called "find": no command
        (["--version"], None),
        ([], None),
    ],
)
def test_the_command_word_is_found_after_the_global_options(argv, command):
    assert _command_in(argv) == command


def test_only_the_commands_module_is_registered_but_help_and_typos_get_every_command():
    assert _modules_for(["find", "x"]) == ["registry"]
    assert _modules_for([]) == []  # the desktop app: no command module at all
    everything = sorted(set(COMMAND_MODULES.values()))
    assert sorted(_modules_for(["--help"])) == everything
    assert sorted(_modules_for(["fnid", "x"])) == everything


def test_a_mistyped_command_is_refused_with_the_list_of_commands(home: Path):
    result = run(["fnid", "002X", "--user", "admin"], home)
    assert result.returncode == 2
    assert "invalid choice: 'fnid'" in result.stderr
    assert "'find'" in result.stderr and "'worklist'" in result.stderr


@pytest.mark.parametrize(
    ("command", "answer_in_stderr"),
    [(["find", "002X"], ""), (["show", "320583198001010016"], "没有")],
)
def test_find_in_a_fresh_interpreter_loads_no_pdf_http_spreadsheet_or_migration_code(
    home: Path, command: list[str], answer_in_stderr: str
):
    # A fresh interpreter on purpose (not the tests' fork server, which has imported it all).
    environment = {k: v for k, v in os.environ.items() if not k.startswith("CASEWORKER_")}
    environment |= {"CASEWORKER_HOME": str(home), "CASEWORKER_PASSWORD": "admin password 1"}
    result = subprocess.run(
        [sys.executable, "-c", LOADED, *command, "--user", "admin"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=environment,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.splitlines()[-1])
    assert answer["code"] == 1  # it ran: an empty registry, nothing found
    assert answer_in_stderr in result.stderr
    heavy = sorted({m for m in answer["modules"] if m.split(".")[0] in HEAVY})
    assert not heavy, f"`caseworker {command[0]}` imported {heavy}"
    other_commands = {f"caseworker.cli.{m}" for m in COMMAND_MODULES.values()} - {
        "caseworker.cli.registry"
    }
    assert not other_commands & set(answer["modules"])
