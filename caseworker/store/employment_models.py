"""Employment spells (增员 / 减员) and yearly base declarations (缴费基数申报).

A spell is one person at one employer from a start date to an end date (open while employed),
with the employees' schemes the employer insures them in and the monthly base. Enrolment rows
stay one per person and scheme (the current state, what travels upstream); the spells are the
history, so leaving and coming back never overwrite an earlier period.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from caseworker.dbtypes import UtcDateTime, utc_now
from caseworker.store.models import Base, Stamped, new_id


class Employment(Stamped, Base):
    __tablename__ = "employment"
    __table_args__ = (
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="dates_in_order"),
        CheckConstraint("kind IN ('employee', 'platform')", name="kind"),
    )
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    employer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("employer.id"), index=True)
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id"), index=True)
    # employee: a labour relationship (增员); platform: a platform worker linked for the
    # occupational injury protection, without one.
    kind: Mapped[str] = mapped_column(String(12), default="employee")
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    end_reason: Mapped[str | None] = mapped_column(String(30))  # employment_end_reason code
    schemes: Mapped[list[str]] = mapped_column(default=list)
    # The monthly contribution base; None for another centre's stay pulled from the township
    # feed (the wage base goes only to the centre that made the stay, migration 0018).
    base_fen: Mapped[int | None] = mapped_column(Integer)


class BaseDeclaration(Base):
    """One employee's base for one year as the employer declared it: last year's average
    monthly wage as given, and the base after clamping into the year's range."""

    __tablename__ = "base_declaration"
    __table_args__ = (UniqueConstraint("employer_id", "person_id", "year"),)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    employer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("employer.id"), index=True)
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id"))
    year: Mapped[int] = mapped_column(Integer)
    wage_fen: Mapped[int] = mapped_column(Integer)
    base_fen: Mapped[int] = mapped_column(Integer)
    clamp: Mapped[str | None] = mapped_column(String(12))  # raised_to_floor / cut_to_ceiling
    declared_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    operator_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("operator.id"))
