"""Line breaking and shrink-to-fit: long names, addresses and employers stay in their cells."""

from __future__ import annotations

import io

import pytest
from reportlab.pdfgen.canvas import Canvas

from caseworker.printing.tables import plan_pages
from caseworker.printing.text import Box, LayoutOverflow, Pen


@pytest.fixture
def pen(chain) -> Pen:
    return Pen(Canvas(io.BytesIO(), invariant=1), chain)


def test_a_minority_name_never_starts_a_line_with_the_middle_dot(pen: Pen):
    name = "阿依古丽·买买提江·艾合买提"
    for width in range(20, 140, 3):
        lines = pen.wrap(name, width, 10)
        assert "".join(lines) == name
        assert not any(line.startswith("·") for line in lines)


def test_digits_stay_together_unless_longer_than_the_line(pen: Pen):
    assert pen.wrap("证件号码 320583198001010016", 120, 10) == ["证件号码", "320583198001010016"]
    lines = pen.wrap("320583198001010016", 30, 10)
    assert "".join(lines) == "320583198001010016" and len(lines) > 1


def test_fit_shrinks_a_little_before_wrapping_then_wraps(pen: Pen):
    box = Box(0, 0, 100, 30)
    assert pen.fit(box, "江阴市青阳镇", size=10) == 10
    assert pen.fit(box, "江阴市青阳镇悟空村委会一组", size=10) >= 8  # one line, shrunk
    long = "江苏省无锡市江阴市青阳镇悟空村委会第十二村民小组东头三十八号" * 2
    assert pen.fit(box, long, size=10) < 8  # wrapped and shrunk to fit


def test_text_that_cannot_fit_raises_instead_of_overlapping(pen: Pen):
    with pytest.raises(LayoutOverflow):
        pen.fit(Box(0, 0, 40, 10), "很长的地址" * 40, size=10)


def test_longest_stored_address_fits_the_forms_address_cell(pen: Pen):
    # Addresses are at most 200 characters in the store; the form's cell is 450 x 32 pt.
    assert pen.fit(Box(0, 0, 450, 32), "镇" * 200, size=9.5) >= 4


def test_pages_are_planned_so_signatures_never_stand_alone():
    assert plan_pages(5, 200, 700, 20, 50) == [5]
    plan = plan_pages(40, 300, 700, 20, 100)
    assert sum(plan) == 40 and plan[-1] >= 3
    # All rows would fit page one but the tail would not: three rows move over with it.
    assert plan_pages(12, 270, 700, 20, 100) == [9, 3]
