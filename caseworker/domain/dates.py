"""Calendar arithmetic shared by the rules: ages in completed years."""

from __future__ import annotations

from datetime import date


def completed_years(birth: date, day: date) -> int:
    """Whole years from ``birth`` to ``day``.

    A birthday counts from the day itself; someone born on 29 February turns a year older on
    1 March in common years, which is what comparing (month, day) pairs gives.
    """
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
