"""The import report: the clerk's workbook given back with each row's outcome, read back."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from caseworker.domain.ids import make_id_number
from caseworker.services.roster_file import inspect_roster, iter_roster
from caseworker.services.roster_report import ReportSummary, RowOutcome, write_report

HEAD = make_id_number("110105", date(1970, 3, 5), 11)
WIFE = make_id_number("110105", date(1972, 8, 9), 22)
SON = make_id_number("110105", date(2000, 1, 2), 31)
HEADINGS = ["户号", "姓名", "身份证号", "与户主关系", "性别", "民族", "户籍地址"]
SUMMARY = ReportSummary(
    at=datetime(2026, 12, 1, 17, 30),
    by="王芳（经办员）",
    written=False,
    reason="有1行未通过检查，未导入任何记录；请改正后重新导入，或选择“只导入无误的行”。",
)
RED = "00FFC7CE"


def _roster(path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "花名册"
    sheet.append(["东村村民委员会户籍花名册"])
    sheet.append([*HEADINGS, "备注"])
    sheet.append(["H001", "张三", HEAD, "户主", "男", "汉族", "东村1号", "老党员"])
    sheet.append(["H001", "", WIFE, "邻居", "女", "火星族", "东村1号"])
    sheet.append([])
    sheet.append(["H001", "张小三", SON, "子", "男", "汉族", "东村1号", None, "多余"])
    sheet.append(["H002", "赵六", 110105197003051234, "户主", "男", "汉族", "东村2号"])
    notes = book.create_sheet("说明")
    notes.append(["填表人", "李会计"])
    book.save(path)


def _outcomes(path: Path, layout) -> list[RowOutcome]:
    outcomes = []
    for read in iter_roster(path, layout):
        if read.problems:
            outcomes.append(RowOutcome(read.row, "rejected", read.problems))
        else:
            outcomes.append(RowOutcome(read.row, "created" if read.row == 3 else "unchanged"))
    return outcomes


def test_the_report_gives_back_the_workbook_with_each_rows_outcome(tmp_path: Path) -> None:
    source, target = tmp_path / "roster.xlsx", tmp_path / "报告.xlsx"
    _roster(source)
    layout = inspect_roster(source)
    write_report(source, target, layout, _outcomes(source, layout), SUMMARY)
    assert {p.name for p in tmp_path.iterdir()} == {"roster.xlsx", "报告.xlsx"}  # no temp file
    book = load_workbook(target)
    assert book.sheetnames == ["导入说明", "花名册", "说明"]

    summary = {row[0]: row[1] for row in book["导入说明"].iter_rows(values_only=True) if row}
    assert summary["文件"] == "roster.xlsx" and summary["SHA-256"] == layout.sha256
    assert summary["操作员"] == "王芳（经办员）" and summary["导入时间"] == "2026-12-01 17:30"
    assert summary["结果"] == "未写入任何记录" and "只导入无误的行" in summary["说明"]
    assert (summary["新增"], summary["无变化"], summary["未导入"], summary["合计"]) == (1, 1, 2, 4)
    assert summary["更新"] == 0 and summary["跳过"] == 0

    sheet = book["花名册"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "东村村民委员会户籍花名册"  # the title above the headings, as it was
    assert rows[1][:10] == (*HEADINGS, "备注", "导入结果", "问题说明")
    assert rows[2][7:10] == ("老党员", "新增", None)
    assert rows[3][8] == "未导入" and "姓名：为空" in rows[3][9] and "民族" in rows[3][9]
    assert rows[4] == (None,) * len(rows[4])  # the blank row stays blank
    assert rows[5][8:11] == ("无变化", None, "多余")  # a cell beyond the headings kept
    assert rows[6][8] == "未导入" and "存成了数字" in rows[6][9]
    # Cells a problem names are light red in rejected rows; nothing else in the data is.
    fills = {
        (cell.row, cell.column)
        for row in sheet.iter_rows(min_row=3)
        for cell in row
        if cell.fill.fgColor.rgb == RED
    }
    assert fills == {(4, 2), (4, 4), (4, 6), (4, 9), (7, 3), (7, 9)}
    assert sheet["J4"].alignment.wrap_text and sheet.column_dimensions["J"].width == 60
    assert sheet.freeze_panes == "A3"
    assert [list(r) for r in book["说明"].iter_rows(values_only=True)] == [["填表人", "李会计"]]


def test_a_csv_source_gives_an_xlsx_report(tmp_path: Path) -> None:
    source, target = tmp_path / "花名册.csv", tmp_path / "report.xlsx"
    lines = [",".join(HEADINGS), f"H001,张三,{HEAD},户主,男,汉族,东村1号"]
    source.write_bytes("\r\n".join(lines).encode("gb18030"))
    layout = inspect_roster(source)
    outcome = [RowOutcome(2, "updated")]
    write_report(source, target, layout, outcome, ReportSummary(datetime.now(), "x", True))
    book = load_workbook(target)
    assert book.sheetnames == ["导入说明", "花名册"]
    assert list(book["花名册"].iter_rows(values_only=True))[1][:8] == (
        "H001",
        "张三",
        HEAD,
        "户主",
        "男",
        "汉族",
        "东村1号",
        "更新",
    )


def test_an_unknown_status_is_refused() -> None:
    with pytest.raises(ValueError):
        RowOutcome(2, "imported")


def _big(path: Path, count: int) -> None:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("花名册")
    sheet.append(HEADINGS)
    for i in range(count):
        sheet.append([f"H{i // 3}", f"张{i}", f"{i:018d}", "户主", "男", "汉族", f"东村{i}号"])
    book.save(path)


def _report_peak(tmp_path: Path, count: int) -> int:
    import tracemalloc

    source, target = tmp_path / f"r{count}.xlsx", tmp_path / f"report{count}.xlsx"
    _big(source, count)
    layout = inspect_roster(source)
    outcomes = (RowOutcome(row, "created") for row in range(2, count + 2))
    tracemalloc.start()
    try:
        write_report(source, target, layout, outcomes, SUMMARY)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.slow
def test_the_report_is_written_with_flat_memory(tmp_path: Path) -> None:
    # Ten times the rows, under tracemalloc (which slows every allocation): sizes kept small
    # enough for CI; a row kept per row (~150 bytes or more) already fails the bound.
    small, large = _report_peak(tmp_path, 1_000), _report_peak(tmp_path, 10_000)
    print(f"report peak {small} / {large}")
    assert large < 2 * small
