"""Tables of the field visit page: a trip's households, and the members of the household being
walked with what the clerk has recorded for each (not saved until the visit is)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

from PySide6.QtCore import QCoreApplication, QModelIndex, QObject

from caseworker.domain.coverage import line_codes
from caseworker.domain.dates import completed_years
from caseworker.services.coverage import CoverageView
from caseworker.services.households import MemberView
from caseworker.services.trip_visit import LineAnswer, Newcomer
from caseworker.services.trips import TripHouseholdRow
from caseworker.ui.i18n import code_label, is_english
from caseworker.ui.models.table import Column, RecordTableModel


def outcome_label(code: str | None) -> str:
    return {
        "visited": QCoreApplication.translate("FieldVisit", "已走访"),
        "nobody_home": QCoreApplication.translate("FieldVisit", "无人在家"),
        "refused": QCoreApplication.translate("FieldVisit", "拒绝"),
    }.get(code or "", QCoreApplication.translate("FieldVisit", "未走访"))


class TripHouseholdsModel(RecordTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(
            [
                Column(
                    QCoreApplication.translate("FieldVisit", "序号"),
                    lambda r: str(r.position),
                    lambda r: r.position,
                ),
                Column(
                    QCoreApplication.translate("FieldVisit", "村（居）委会"),
                    lambda r: r.village_name,
                ),
                Column(QCoreApplication.translate("FieldVisit", "家庭住址"), lambda r: r.address),
                Column(
                    QCoreApplication.translate("FieldVisit", "户主"),
                    lambda r: r.head_name or QCoreApplication.translate("FieldVisit", "（无户主）"),
                ),
                Column(
                    QCoreApplication.translate("FieldVisit", "在册人数"),
                    lambda r: str(r.members),
                    lambda r: r.members,
                    True,
                ),
                Column(
                    QCoreApplication.translate("FieldVisit", "未覆盖"),
                    lambda r: str(r.not_covered),
                    lambda r: r.not_covered,
                    True,
                ),
                Column(
                    QCoreApplication.translate("FieldVisit", "走访结果"),
                    lambda r: outcome_label(r.outcome),
                ),
            ],
            parent,
        )

    def position_of(self, household_id: uuid.UUID) -> int:
        rows: list[TripHouseholdRow] = self.rows
        return next((i for i, r in enumerate(rows) if r.household_id == household_id), -1)


@dataclass
class WalkRow:
    """One line of the household walk: a member on the list, or someone found at the door."""

    name: str
    relationship: str | None
    birth_date: date | None
    member: MemberView | None = None  # None: a newcomer, not saved yet
    newcomer: Newcomer | None = None
    change: str = ""  # "", confirmed, moved_away, deceased (members); newcomers are added
    on: date | None = None
    answers: dict[str, LineAnswer] = field(default_factory=dict)
    recorded: str | None = None  # what this trip recorded before (a saved visit)

    @property
    def person_id(self) -> uuid.UUID | None:
        return self.member.person_id if self.member else None

    @property
    def gone(self) -> bool:
        """Left or died before this visit: shown, not walked."""
        return self.member is not None and not self.member.present

    @property
    def editable(self) -> bool:
        return not self.gone and (self.member is None or self.member.managed_here)

    @property
    def touched(self) -> bool:
        return bool(self.change or self.answers)

    def status(self, line: str) -> tuple[str | None, str | None]:
        """(status, reason) as it will be after the visit: the answer, else the current one."""
        if line in self.answers:
            answer = self.answers[line]
            return answer.status, answer.reason
        current: CoverageView | None = self.member.statuses.get(line) if self.member else None
        return (current.status, current.reason) if current else (None, None)


def change_label(row: WalkRow) -> str:
    if row.member is None:
        return QCoreApplication.translate("FieldVisit", "新增")
    if row.gone:
        member = row.member
        if member.deceased_on:
            return QCoreApplication.translate("FieldVisit", "已死亡 %1").replace(
                "%1", member.deceased_on.isoformat()
            )
        return QCoreApplication.translate("FieldVisit", "已迁出 %1").replace(
            "%1", str(member.moved_away_on)
        )
    if not row.member.managed_here:
        return QCoreApplication.translate("FieldVisit", "他中心管理")
    if not row.change and row.recorded:
        return QCoreApplication.translate("FieldVisit", "已记录")
    return {
        "confirmed": QCoreApplication.translate("FieldVisit", "在户"),
        "moved_away": QCoreApplication.translate("FieldVisit", "迁出 %1").replace(
            "%1", str(row.on or "")
        ),
        "deceased": QCoreApplication.translate("FieldVisit", "死亡 %1").replace(
            "%1", str(row.on or "")
        ),
    }.get(row.change, QCoreApplication.translate("FieldVisit", "待确认"))


def _status_text(row: WalkRow, line: str) -> str:
    status, reason = row.status(line)
    text = code_label("coverage_status", status) if status else ""
    if reason:
        table = "not_insured_reason" if status == "not_insured" else "not_applicable_reason"
        words = code_label(table, reason)
        text += f" ({words})" if is_english() else f"（{words}）"
    return ("✎ " if line in row.answers else "") + text


def _age(row: WalkRow, today: date) -> str:
    return str(completed_years(row.birth_date, today)) if row.birth_date else ""


class WalkMembersModel(RecordTableModel):
    def __init__(self, today: date, parent: QObject | None = None) -> None:
        line_names = {
            "pension": QCoreApplication.translate("FieldVisit", "养老保险"),
            "medical": QCoreApplication.translate("FieldVisit", "医疗保险"),
            "injury": QCoreApplication.translate("FieldVisit", "工伤保障"),
        }
        super().__init__(
            [
                Column(QCoreApplication.translate("FieldVisit", "姓名"), lambda r: r.name),
                Column(
                    QCoreApplication.translate("FieldVisit", "与户主关系"),
                    lambda r: code_label("relationship", r.relationship),
                ),
                Column(QCoreApplication.translate("FieldVisit", "年龄"), lambda r: _age(r, today)),
                Column(QCoreApplication.translate("FieldVisit", "本次走访"), change_label),
                *(
                    Column(line_names.get(line, line), lambda r, line=line: _status_text(r, line))
                    for line in line_codes()
                ),
            ],
            parent,
        )

    def row_changed(self, position: int) -> None:
        self.dataChanged.emit(self.index(position, 0), self.index(position, self.columnCount() - 1))

    def add(self, row: WalkRow) -> int:
        position = len(self.rows)
        self.beginInsertRows(QModelIndex(), position, position)
        self.rows.append(row)
        self.endInsertRows()
        return position
