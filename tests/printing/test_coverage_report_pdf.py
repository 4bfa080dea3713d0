"""参保覆盖情况报告: the PDF read back (every figure's title, date, what it counts, numbers),
fonts embedded, pages rendered; and `caseworker report coverage` end to end (text, JSON,
PDF, refresh first, a wrong line or date said clearly)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from caseworker.printing.coverage_report import build_coverage_report
from caseworker.services.coverage import UNSEEN
from caseworker.services.coverage_report import coverage_report_pdf, coverage_reports
from caseworker.store.models import CoverageStatus
from tests.coverage_data import PASSWORD, CountedCentre, build_counted_centre
from tests.printing.conftest import compact, need, pdffonts, pdftotext

NOW = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def counted(tmp_path_factory) -> CountedCentre:
    return build_counted_centre(tmp_path_factory.mktemp("report") / "centre")


def test_the_report_reads_back_with_every_figure(counted, tmp_path):
    session = counted.login()
    try:
        result = coverage_report_pdf(session.database, session.actor, counted.day, now=NOW)
        again = coverage_report_pdf(session.database, session.actor, counted.day, now=NOW)
    finally:
        session.close()
    assert result.pdf == again.pdf  # invariant: same figures, same bytes
    assert result.missing == ()
    text = pdftotext(result.pdf, tmp_path)
    flat = compact(text)
    day = counted.day.isoformat()
    assert "参保覆盖情况报告" in flat and "青阳镇社会保障服务中心" in flat
    for heading in ("一、养老保险", "二、医疗保险", "三、工伤（职业伤害）保障"):
        assert heading in flat
    for title in (
        "各村（居）参保率",
        "按参保险种的参保率",
        "未参保人员按原因",
        "按就业类别的参保率",
        "按年龄段和性别的参保率",
        "近12个月参保率走势",
    ):
        assert flat.count(title) == 3  # once per line
    assert flat.count(f"截至{day}。统计口径：") == 18  # every figure: its date, what it counts
    assert "参保率44.4%" in flat  # the pension line's totals
    assert "在册11人（不含迁出、死亡），其中不适用2人，应参保9人" in flat
    assert "街西村村委会" in flat and "60.0%" in flat and "25.0%" in flat
    assert "缴费困难" in flat and "未核实" in flat and "已登记但未缴当期费用" in flat
    assert f"为{counted.day.year}年年末的周岁" in flat
    assert "打印：2026-12-0109:30" in flat or "打印：2026-12-01" in flat
    fonts = pdffonts(result.pdf, tmp_path)
    assert fonts and all(row[-5] == "yes" for row in fonts)  # every font embedded
    assert not any("Helvetica" in row[0] for row in fonts)
    subprocess.run(
        [
            need("pdftoppm"),
            "-png",
            "-r",
            "40",
            "-f",
            "1",
            "-l",
            "2",
            str(tmp_path / "fonts.pdf"),
            str(tmp_path / "page"),
        ],
        check=True,
    )
    assert sorted(p.name for p in tmp_path.glob("page-*.png")) == ["page-1.png", "page-2.png"]


def test_a_report_needs_a_line(counted):
    session = counted.login()
    try:
        with pytest.raises(ValueError):
            build_coverage_report([], None, printed_at=NOW)  # type: ignore[arg-type]
        assert len(coverage_reports(session.database, session.actor, counted.day, ["injury"])) == 1
    finally:
        session.close()


def run(args: list[str], home: Path) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("CASEWORKER_")}
    environment |= {"CASEWORKER_HOME": str(home), "CASEWORKER_PASSWORD": PASSWORD}
    return subprocess.run(
        [sys.executable, "-m", "caseworker", "report", "coverage", *args, "--user", "admin"],
        capture_output=True,
        text=True,
        env=environment,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )


def in_process(args: list[str], home: Path, monkeypatch, capsys) -> tuple[int, str, str]:
    """The same command in this process (quicker than a new one; the first test runs one)."""
    from caseworker.cli import main

    monkeypatch.setenv("CASEWORKER_HOME", str(home))
    monkeypatch.setenv("CASEWORKER_PASSWORD", PASSWORD)
    capsys.readouterr()
    try:
        code = main(["report", "coverage", *args, "--user", "admin"])
    except SystemExit as stop:  # argparse refusing an argument
        code = int(stop.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_the_command_line_refreshes_then_reports(counted, tmp_path, monkeypatch, capsys):
    home = counted.paths.root
    session = counted.login()
    try:  # a status nobody has looked at yet: the command derives it first
        with session.database.writing() as db:
            row = db.get(CoverageStatus, (counted.ids["G"], "pension"))
            row.status, row.reason, row.source, row.valid_until = "unknown", None, None, UNSEEN
    finally:
        session.close()
    day = counted.day.isoformat()
    shown = run(["--line", "pension", "--date", day], home)  # a real process, end to end
    assert shown.returncode == 0, shown.stderr
    assert "已更新" in shown.stderr  # G is under 16 again
    assert "参保率 44.4%" in shown.stdout
    assert "街西村村委会" in shown.stdout and "60.0%  (3/5)" in shown.stdout

    code, out, err = in_process(["--json", "--date", day], home, monkeypatch, capsys)
    assert code == 0, err
    data = json.loads(out)
    assert [line["line"] for line in data["lines"]] == ["pension", "medical", "injury"]
    pension = data["lines"][0]
    assert pension["total"]["rate"] == 0.4444 and pension["as_of"] == day
    reasons = next(f for f in pension["figures"] if f["key"] == "not_covered_by_reason")
    assert [(b["key"], b["value"]) for b in reasons["bars"]] == [
        ("cannot_afford", 2),
        ("unwilling", 1),
        ("unknown", 2),
    ]
    assert reasons["counts"]["en"].startswith("Present people not insured")

    target = tmp_path / "coverage.pdf"
    code, out, err = in_process(["--line", "medical", "-o", str(target)], home, monkeypatch, capsys)
    assert code == 0, err
    assert "已写入" in out
    flat = compact(pdftotext(target.read_bytes(), tmp_path))
    assert "医疗保险" in flat and "养老保险" not in flat


def test_the_command_line_says_what_is_wrong(counted, tmp_path, monkeypatch, capsys):
    home = counted.paths.root
    code, _, err = in_process(["--line", "unemployment"], home, monkeypatch, capsys)
    assert code == 2 and "invalid choice" in err
    code, _, err = in_process(["--date", "2026-13-01"], home, monkeypatch, capsys)
    assert code != 0 and "YYYY-MM-DD" in err
    nowhere = str(tmp_path / "nowhere" / "r.pdf")
    code, _, err = in_process(["-o", nowhere], home, monkeypatch, capsys)
    assert code != 0 and "不存在" in err
