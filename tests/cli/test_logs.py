"""Logs hold no personal data: provoke failures that carry ID numbers, names and phones,
then read every log file (and the temp folder) for them. Real files, real processes."""

from __future__ import annotations

import logging
import os
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from caseworker.cli.common import run_guarded
from caseworker.domain.ids import make_id_number
from caseworker.logs import (
    FILE_MODE,
    FOLDER_MODE,
    PrivateRotatingFileHandler,
    describe_exception,
    install_logging,
    redact,
    uninstall_logging,
)
from caseworker.paths import DataPaths
from caseworker.services.centre import OpenSession
from caseworker.services.enrolment import EnrolmentChoice, enrol
from caseworker.services.validation import PersonInput
from tests import procs
from tests.conftest import ADMIN_PASSWORD, TODAY

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ("秀英", "建国", "桂兰", "志强", "海燕", "德明", "淑珍", "永福", "丽娟", "国庆")


def people(count: int) -> list[PersonInput]:
    return [
        PersonInput(
            id_number=make_id_number("320583", date(1950 + n % 40, 1 + n % 12, 1 + n % 28), n + 1),
            name=SURNAMES[n % len(SURNAMES)] + GIVEN[n // len(SURNAMES) % len(GIVEN)],
            phone=f"139{n:08d}",
            hukou_village_code="320583101201",
            hukou_nature="family_farm",
            employment_category="farmer",
            hukou_address=f"玉山镇新民村{n + 1}组",
        )
        for n in range(count)
    ]


def secrets_of(persons: list[PersonInput]) -> list[str]:
    """What must never appear: ID numbers (and their birth dates), names, phones, addresses."""
    found = []
    for p in persons:
        assert p.id_number and p.phone and p.hukou_address
        found += [p.id_number, p.id_number[6:14], p.name, p.phone, p.phone[3:], p.hukou_address]
    return found


def assert_clean(folder: Path, secrets: list[str]) -> list[Path]:
    """Every file under ``folder`` is private and holds none of ``secrets``; returns them."""
    files = [f for f in folder.rglob("*") if f.is_file()]
    for path in [folder, *[f for f in folder.rglob("*") if f.is_dir()]]:
        assert stat.S_IMODE(path.stat().st_mode) == FOLDER_MODE, path
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == FILE_MODE, path
        content = path.read_text(encoding="utf-8")
        leaked = [s for s in secrets if s in content]
        assert not leaked, f"{path} holds {leaked}"
    return files


def no_temp_logs(temp: Path) -> None:
    assert not list(temp.glob("caseworker-*")), "a log under a fixed name in the temp folder"


@pytest.fixture
def own_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    return temp


@pytest.fixture
def installed(data_paths: DataPaths) -> Iterator[Path]:
    path = install_logging(data_paths.logs, "cli")
    yield path
    uninstall_logging()


def test_redaction_keeps_words_and_drops_values():
    line = redact("bad value '李四' for 110105194912310021 张三 phone 139 1234 5678 on 1949-12-31")
    assert line == "bad value '<text>' for <digits> <cjk> phone <digits> on <digits>"
    assert redact("11010519491231002X") == "<digits>"
    assert redact("no such table: person") == "no such table: person"


def test_an_internal_error_carrying_personal_data_is_logged_without_it(
    installed: Path, data_paths: DataPaths, own_temp: Path, capsys: pytest.CaptureFixture[str]
):
    def command() -> int:
        try:
            {"110105194912310021": "张三"}["13800138000 王五"]
        except KeyError as error:
            raise ValueError("110105194912310021 张三 13800138000") from error
        return 0

    assert run_guarded(command) == 70
    said = capsys.readouterr().err
    assert str(data_paths.logs / "cli.log") in said  # the operator is told where to look
    assert "110105194912310021" not in said and "张三" not in said
    files = assert_clean(data_paths.logs, ["110105194912310021", "张三", "王五", "13800138000"])
    assert files == [installed]
    log = installed.read_text(encoding="utf-8")
    # Enough for support: both exceptions' types and where they were raised.
    assert "KeyError: '<text>'" in log
    assert "ValueError: <digits> <cjk> <digits>" in log
    assert 'File "caseworker/cli/common.py"' in log and "in command" in log
    no_temp_logs(own_temp)


def test_nothing_is_written_until_something_is_logged(data_paths: DataPaths):
    install_logging(data_paths.logs, "cli")
    try:
        logging.getLogger("caseworker").debug("below the level")
    finally:
        uninstall_logging()
    assert not data_paths.logs.exists()


def test_rotated_files_stay_private(data_paths: DataPaths):
    handler = PrivateRotatingFileHandler(data_paths.logs / "cli.log")
    handler.maxBytes = 300  # the real handler, rotating sooner
    logger = logging.getLogger("caseworker.test_rotation")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        for n in range(40):
            logger.warning("line %d for 王秀英 320583195001010011", n)
    finally:
        logger.removeHandler(handler)
        logger.propagate = True
        handler.close()
    files = assert_clean(data_paths.logs, ["王秀英", "320583195001010011"])
    assert len(files) == 1 + handler.backupCount
    assert (data_paths.logs / "cli.log.5").exists()


def test_sql_errors_keep_parameters_and_values_out(centre: OpenSession):
    from sqlalchemy.exc import StatementError

    with pytest.raises(StatementError) as caught, centre.database.reading() as session:
        session.execute(
            text("SELECT * FROM person WHERE id_number = :n AND nonexistent = 1"),
            {"n": "110105194912310021"},
        )
    described = describe_exception(caught.value)
    assert "110105194912310021" not in str(caught.value)  # hide_parameters on the engine
    assert "110105194912310021" not in described
    assert "OperationalError" in described


def _run_cli(args: list[str], home: Path, temp: Path) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("CASEWORKER_")}
    environment |= {
        "CASEWORKER_HOME": str(home),
        "CASEWORKER_PASSWORD": ADMIN_PASSWORD,
        "TMPDIR": str(temp),
    }
    return procs.run(
        [sys.executable, "-m", "caseworker", *args, "--user", "admin"],
        capture_output=True,
        text=True,
        env=environment,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )


def _damage_page(path: Path, page: int, page_size: int = 4096) -> None:
    with path.open("r+b") as file:
        file.seek((page - 1) * page_size + page_size // 2)
        byte = file.read(1)
        file.seek(-1, os.SEEK_CUR)
        file.write(bytes([byte[0] ^ 0xFF]))


def test_a_damaged_page_leaves_no_personal_data_in_logs(
    centre: OpenSession, data_paths: DataPaths, tmp_path: Path
):
    persons = people(120)
    for person in persons:
        enrol(
            centre.database,
            centre.actor,
            person,
            [EnrolmentChoice("resident_pension", tier_fen=50_000)],
            today=TODAY,
        )
    with centre.database.reading() as session:
        roots = session.execute(
            text("SELECT rootpage FROM sqlite_master WHERE tbl_name = 'person' AND rootpage > 1")
        ).scalars()
        pages = sorted(set(roots))
        page_size = int(session.execute(text("PRAGMA page_size")).scalar_one())
    centre.close()  # the last connection checkpoints the WAL into the file
    assert not Path(f"{data_paths.database}-wal").exists()
    for page in pages:  # the person table and its indexes, not the operators' pages
        _damage_page(data_paths.database, page, page_size)
    temp = tmp_path / "tmp"
    temp.mkdir()

    victim = persons[7]
    assert victim.id_number
    results = [
        _run_cli(["show", victim.id_number], data_paths.root, temp),
        _run_cli(["find", victim.name], data_paths.root, temp),
        _run_cli(["find", victim.id_number[-6:]], data_paths.root, temp),
    ]
    for result in results:
        assert result.returncode != 0, result.stdout
        assert "Traceback" not in result.stderr
    # Nothing logged at all is clean too: the folder is made only when something is written.
    files = assert_clean(data_paths.logs, secrets_of(persons)) if data_paths.logs.exists() else []
    # Reported as an internal error: then the log says what failed, and where.
    if any(str(data_paths.logs / "cli.log") in r.stderr for r in results):
        assert "DatabaseError" in (data_paths.logs / "cli.log").read_text(encoding="utf-8")
    else:  # reported in words (a damaged file named as such): nothing to log
        assert not files
        assert all("损坏" in r.stderr for r in results), [r.stderr for r in results]
    no_temp_logs(temp)
