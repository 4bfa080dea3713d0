"""What a list may show of a personal number: never the whole of it.

The audit screen, like the county's answers about another centre's person, names a person
without disclosing their numbers. Each kind has its masking helper (``mask_id_number``,
``mask_bank_card``, ``mask_phone``); free text (a note, a reason) may carry any of them, so
``mask_numbers`` masks every long run of digits in it by its length.
"""

from __future__ import annotations

import re

from caseworker.domain.bank import mask_bank_card
from caseworker.domain.ids import mask_id_number

# Eleven or more digits (an ID number may end in X): a phone, an ID number or a bank card.
# Shorter runs (dates, amounts, receipt sequences, seq numbers) are not personal numbers.
_LONG_NUMBER = re.compile(r"(?<![0-9])[0-9]{10,}[0-9Xx](?![0-9A-Za-z])")
MOBILE_LENGTH = 11


def mask_phone(number: str) -> str:
    """``138****5678``: the network prefix and the last four digits of a mobile number; a
    landline keeps its area code and last four (``0512-***3210``), its extension goes."""
    area, dash, rest = number.partition("-")
    if dash:
        local = rest.partition("-")[0]
        return f"{area}-{'*' * max(len(local) - 4, 0)}{local[-4:]}"
    if len(number) <= 7:
        return "*" * len(number)
    return number[:3] + "*" * (len(number) - 7) + number[-4:]


def mask_number(number: str) -> str:
    """One long number by its shape: 15 or 18 characters an ID number, 11 a mobile, else a
    bank card."""
    if len(number) in (15, 18):
        return mask_id_number(number.upper())
    if len(number) == MOBILE_LENGTH:
        return mask_phone(number)
    return mask_bank_card(number)


def mask_numbers(text: str) -> str:
    """``text`` with every run of eleven or more digits masked (see ``mask_number``)."""
    return _LONG_NUMBER.sub(lambda match: mask_number(match.group(0)), text)
