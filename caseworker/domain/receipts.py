"""Receipt numbers: centre code, device number, year and a gapless sequence."""

from __future__ import annotations

from typing import Any


def format_receipt_number(centre_code: str, device_number: int, year: int, sequence: int) -> str:
    return f"{centre_code}-{device_number:02d}-{year}-{sequence:06d}"


class LineTotals:
    """The totals of a receipt whose ``lines`` each carry their amounts (one place for the
    sums, whether the receipt was just issued or is being printed)."""

    lines: tuple[Any, ...]

    @property
    def amount_fen(self) -> int:
        return sum(line.amount_fen for line in self.lines)

    @property
    def personal_fen(self) -> int:
        return sum(line.personal_fen for line in self.lines)

    @property
    def subsidy_fen(self) -> int:
        return sum(line.subsidy_fen for line in self.lines)

    @property
    def paid_by_government_fen(self) -> int:
        return sum(line.paid_by_government_fen for line in self.lines)
