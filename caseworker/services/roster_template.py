"""The blank roster a centre hands to village committees, so rosters come back readable.

Headings are the first spelling of each field in ``roster_file.HEADINGS`` (what the reader
looks for first); the ID number and phone columns are text ('@') so Excel keeps every digit of
an 18-digit ID number instead of turning it into 1.10105E+17; relationship, sex, ethnic group
and employment category offer drop-down lists of the code tables' Chinese names (kept on a
hidden sheet, as a list written into the rule is limited to 255 characters); a second sheet
"填写说明" says how to fill it in.
"""

from __future__ import annotations

from pathlib import Path

from caseworker.domain.codes import load_code_table
from caseworker.services.file_output import written_atomically
from caseworker.services.roster_file import COLUMN_ZH

# The template's columns, in the order a village committee writes a household.
TEMPLATE_FIELDS = (
    "household_number",
    "name",
    "id_number",
    "relationship",
    "sex",
    "ethnicity",
    "birth_date",
    "phone",
    "village",
    "hukou_address",
    "employment_category",
)
TEXT_FIELDS = ("household_number", "id_number", "phone")  # digits that must stay as written
# Field → the code table its drop-down list comes from.
LISTS = {
    "relationship": "relationship",
    "sex": "sex",
    "ethnicity": "ethnic_group",
    "employment_category": "employment_category",
}
PREPARED_ROWS = 2000  # rows formatted as text and given the drop-down lists
SHEET = "花名册"
INSTRUCTIONS_SHEET = "填写说明"
CODES_SHEET = "代码表"
INSTRUCTIONS = (
    "花名册填写说明",
    "",
    "1. 每人一行；同一户的人连续填写，户主（或“本人”）写在该户第一行。",
    "2. 一户一个户号：同一户的每个人填同一个户号，不同的户不要重复使用。",
    "3. 身份证号必须是18位，按文本填写（本表已设为文本格式）。不要改成数字格式，"
    "否则Excel只保留15位，末几位会变成0，无法导入。",
    "4. 与户主关系、性别、民族、就业类别请从下拉列表中选择。",
    "5. 出生日期写成 1970-03-05 或 1970年3月5日；须与身份证号中的出生日期一致。",
    "6. 联系电话按文本填写，不要加空格或“-”。",
    "7. 不要合并单元格，不要在表头上方或中间插入行；其他说明可以写在本页。",
    "8. 填好后直接保存为 .xlsx 交回社保所，不要另存为 .xls 或 WPS 的 .et 格式。",
)


def _names(table: str) -> list[str]:
    entries = load_code_table(table).entries
    if table == "sex":  # only 男 and 女 agree with an ID number
        return [e.name_zh for e in entries if e.code in ("1", "2")]
    return [e.name_zh for e in entries]


def write_template(path: Path) -> None:
    """Write the blank roster to ``path`` (an .xlsx), replacing it whole."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append([COLUMN_ZH[name] for name in TEMPLATE_FIELDS])
    heading_fill = PatternFill("solid", fgColor="DDEBF7")
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = heading_fill
        cell.alignment = Alignment(horizontal="center")
    sheet.freeze_panes = "A2"
    widths = {"id_number": 22, "hukou_address": 30, "employment_category": 22, "village": 16}
    codes = book.create_sheet(CODES_SHEET)
    last = PREPARED_ROWS + 1
    for position, name in enumerate(TEMPLATE_FIELDS, 1):
        letter = get_column_letter(position)
        sheet.column_dimensions[letter].width = widths.get(name, 13)
        if name in TEXT_FIELDS:
            sheet.column_dimensions[letter].number_format = "@"
            for row in range(2, last + 1):
                sheet.cell(row, position).number_format = "@"
        if name in LISTS:
            column = list(LISTS).index(name) + 1
            names = _names(LISTS[name])
            codes.cell(1, column, COLUMN_ZH[name])
            for row, value in enumerate(names, 2):
                codes.cell(row, column, value)
            source = get_column_letter(column)
            rule = DataValidation(
                type="list",
                formula1=f"={CODES_SHEET}!${source}$2:${source}${len(names) + 1}",
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=COLUMN_ZH[name],
                error=f"请从下拉列表中选择{COLUMN_ZH[name]}。",
            )
            rule.add(f"{letter}2:{letter}{last}")
            sheet.add_data_validation(rule)
    codes.sheet_state = "hidden"
    notes = book.create_sheet(INSTRUCTIONS_SHEET, 1)
    notes.column_dimensions["A"].width = 100
    for line in INSTRUCTIONS:
        notes.append([line])
        notes.cell(notes.max_row, 1).alignment = Alignment(wrap_text=True)
    notes["A1"].font = Font(bold=True, size=14)
    with written_atomically(path) as temporary:
        book.save(temporary)
