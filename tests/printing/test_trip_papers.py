"""The visit list over several pages and the summary on one, read back with pdftotext."""

from __future__ import annotations

import subprocess
from datetime import date, datetime

from caseworker.printing.data import CentreInfo
from caseworker.printing.fonts import load_chain
from caseworker.printing.trip import (
    TripSummaryData,
    VisitListData,
    VisitListRow,
    build_trip_summary,
    build_visit_list,
)

CENTRE = CentreInfo("320281103", "江阴市青阳镇社会保障服务中心")
PRINTED = datetime(2026, 11, 27, 9, 0).astimezone()
ROWS = tuple(
    VisitListRow("桐岐社区居委会", f"{n // 10 + 1}组{n}号", f"户主{n}", 3, n % 3, n % 4 == 0)
    for n in range(1, 56)
)


def _text(pdf: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()


def test_a_long_visit_list_runs_over_pages_with_every_household_once():
    result = build_visit_list(
        VisitListData(CENTRE, "青阳镇十一月走访", date(2026, 11, 27), PRINTED, ROWS),
        load_chain(None),
    )
    text = _text(result.pdf)
    assert not result.missing
    assert "第1页共2页" in text and "第2页共2页" in text
    assert "全民参保登记入户走访清单（续）" in text
    for n in (1, 33, 55):
        assert text.count(f"户主{n} ") + text.count(f"户主{n}\n") >= 1
    assert "走访人签字" in text


def test_the_summary_keeps_to_one_page_and_says_how_many_are_left_out():
    figures = tuple((f"项目{i}", str(i)) for i in range(13))
    statuses = tuple(
        (line, status, 3)
        for line in ("养老保险", "医疗保险", "工伤（职业伤害）保障")
        for status in ("本地参保", "异地参保", "未参保", "不适用", "未核实")
    )
    data = TripSummaryData(
        CENTRE, "青阳镇十一月走访", date(2026, 11, 27), None, PRINTED, figures, statuses, ROWS[:30]
    )
    text = _text(build_trip_summary(data, load_chain(None)).pdf)
    assert "第1页共1页" in text and text.count("\f") == 1
    assert "尚未走访的家庭户（30户）" in text and "见走访清单" in text
    assert "审核人签字" in text
