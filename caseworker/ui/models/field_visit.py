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
from caseworker.ui.i18n import code_label
from caseworker.ui.models.table import Column, RecordTableModel


def _tr(text: str) -> str:
    return QCoreApplication.translate("FieldVisit", text)


def outcome_label(code: str | None) -> str:
    return {
        "visited": _tr("已走访"),
        "nobody_home": _tr("无人在家"),
        "refused": _tr("拒绝"),
    }.get(code or "", _tr("未走访"))


class TripHouseholdsModel(RecordTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(
            [
                Column(_tr("序号"), lambda r: str(r.position), lambda r: r.position),
                Column(_tr("村（居）委会"), lambda r: r.village_name),
                Column(_tr("家庭住址"), lambda r: r.address),
                Column(_tr("户主"), lambda r: r.head_name or _tr("（无户主）")),
                Column(_tr("在册人数"), lambda r: str(r.members), lambda r: r.members, True),
                Column(_tr("未覆盖"), lambda r: str(r.not_covered), lambda r: r.not_covered, True),
                Column(_tr("走访结果"), lambda r: outcome_label(r.outcome)),
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
        return _tr("新增")
    if row.gone:
        member = row.member
        if member.deceased_on:
            return _tr("已死亡 %1").replace("%1", member.deceased_on.isoformat())
        return _tr("已迁出 %1").replace("%1", str(member.moved_away_on))
    if not row.member.managed_here:
        return _tr("他中心管理")
    return {
        "confirmed": _tr("在户"),
        "moved_away": _tr("迁出 %1").replace("%1", str(row.on or "")),
        "deceased": _tr("死亡 %1").replace("%1", str(row.on or "")),
    }.get(row.change, _tr("待确认"))


def _status_text(row: WalkRow, line: str) -> str:
    status, reason = row.status(line)
    text = code_label("coverage_status", status) if status else ""
    if reason:
        table = "not_insured_reason" if status == "not_insured" else "not_applicable_reason"
        text += f"（{code_label(table, reason)}）"
    return ("✎ " if line in row.answers else "") + text


def _age(row: WalkRow, today: date) -> str:
    return str(completed_years(row.birth_date, today)) if row.birth_date else ""


class WalkMembersModel(RecordTableModel):
    def __init__(self, today: date, parent: QObject | None = None) -> None:
        line_names = {
            "pension": _tr("养老保险"),
            "medical": _tr("医疗保险"),
            "injury": _tr("工伤保障"),
        }
        super().__init__(
            [
                Column(_tr("姓名"), lambda r: r.name),
                Column(_tr("与户主关系"), lambda r: code_label("relationship", r.relationship)),
                Column(_tr("年龄"), lambda r: _age(r, today)),
                Column(_tr("本次走访"), change_label),
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
