"""`caseworker card read` and `card simulate` as processes, against the simulated reader on a
pseudo-terminal pair (synthetic cards)."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from caseworker.devices.card import CardKind
from caseworker.devices.simulator import SimulatedReader, demo_card
from tests import procs
from tests.cli.test_cli import run


@pytest.fixture
def simulator() -> Iterator[SimulatedReader]:
    with SimulatedReader() as sim:
        yield sim


def test_read_prints_what_the_card_holds(simulator: SimulatedReader, tmp_path: Path) -> None:
    card = demo_card()
    simulator.place(card)
    result = run(["card", "read", "--port", simulator.port], tmp_path, password=None)
    assert result.returncode == 0, result.stderr
    assert card.id_number in result.stdout and "演示样" in result.stdout
    assert "江阴市公安局" in result.stdout and "2038-06-01" in result.stdout
    assert "1024" in result.stdout  # the photo, by its size only
    assert not (tmp_path / "caseworker.db").exists()  # nothing written to any store


def test_read_json(simulator: SimulatedReader, tmp_path: Path) -> None:
    simulator.place(replace(demo_card(CardKind.FOREIGN), valid_to=date(2030, 5, 1)))
    result = run(["card", "read", "--port", simulator.port, "--json"], tmp_path, password=None)
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout)
    assert shown["reader"]["kind"] == "serial"
    assert shown["card"]["kind"] == "foreign_permanent"
    assert shown["card"]["name_en"] == "SAMPLE ALEX" and shown["card"]["photo_bytes"] == 1024


def test_no_card_and_failures(simulator: SimulatedReader, tmp_path: Path) -> None:
    empty = run(["card", "read", "--port", simulator.port], tmp_path, password=None)
    assert empty.returncode == 3 and "没有卡片" in empty.stdout
    simulator.place(demo_card(), "read_error")
    failed = run(["card", "read", "--port", simulator.port, "--json"], tmp_path, password=None)
    assert failed.returncode == 1 and "Traceback" not in failed.stderr
    assert json.loads(failed.stdout)["error"]["code"] == "read"
    gone = run(["card", "read", "--port", str(tmp_path / "ttyNONE")], tmp_path, password=None)
    assert gone.returncode == 1 and "ttyNONE" in gone.stderr and "Traceback" not in gone.stderr


def test_simulate_serves_a_demo_card(tmp_path: Path) -> None:
    with procs.Popen(
        [sys.executable, "-m", "caseworker", "card", "simulate"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as process:
        assert process.stdout is not None
        port = process.stdout.readline().rsplit(" ", 1)[1].strip()
        result = run(["card", "read", "--port", port, "--json"], tmp_path, password=None)
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=30)
    assert process.returncode == 0
    assert json.loads(result.stdout)["card"]["id_number"] == demo_card().id_number
