"""Receipt numbers: centre code, device number, year and a gapless sequence."""

from __future__ import annotations


def format_receipt_number(centre_code: str, device_number: int, year: int, sequence: int) -> str:
    return f"{centre_code}-{device_number:02d}-{year}-{sequence:06d}"
