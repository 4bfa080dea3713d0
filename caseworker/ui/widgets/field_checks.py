"""Checks run while the clerk types: the domain's own parsers, turned into what a field shows.

Pure functions (no widgets), so the rules for "still typing" versus "wrong" live in one place:
an ID number or card number that is merely short is still being typed and gets a count, not
an error; anything that cannot become right by typing on is an error at once.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date

from PySide6.QtWidgets import QLineEdit

from caseworker.domain.bank import MIN_LENGTH, parse_bank_card
from caseworker.domain.contact import parse_phone
from caseworker.domain.errors import InvalidValue
from caseworker.domain.ids import IdNumber, parse_id_number
from caseworker.domain.names import normalise_person_name
from caseworker.ui.i18n import in_language, message_for
from caseworker.ui.widgets.common import FieldBox

ID_LENGTH = 18


@dataclass(frozen=True)
class Feedback:
    """What a field's message line shows. ``kind``: "", "typing", "upgraded", "warning",
    "error"; ``typing`` and ``upgraded`` are worded by the widget (they need ``tr``)."""

    kind: str = ""
    message: str = ""
    typed: int = 0


def compact(text: str) -> str:
    """What the clerk typed without spaces and dashes, to count the characters entered."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text) if ch.isalnum())


def id_feedback(text: str, today: date) -> tuple[IdNumber | None, Feedback]:
    typed = len(compact(text))
    try:
        identity = parse_id_number(text, today=today)
    except InvalidValue as error:
        if not typed:
            return None, Feedback()
        if error.code in ("empty", "length") and typed < ID_LENGTH:
            return None, Feedback("typing", typed=typed)
        return None, Feedback("error", message_for(error))
    if identity.upgraded_from:
        return identity, Feedback("upgraded", identity.number)
    return identity, Feedback()


def name_feedback(text: str) -> Feedback:
    if not text.strip():
        return Feedback()  # required, but the service says so on save, not while moving on
    try:
        normalise_person_name(text)
    except InvalidValue as error:
        return Feedback("error", message_for(error))
    return Feedback()


def phone_feedback(text: str) -> Feedback:
    if not text.strip():
        return Feedback()
    try:
        parse_phone(text)
    except InvalidValue as error:
        return Feedback("error", message_for(error))
    return Feedback()


def bank_feedback(text: str) -> Feedback:
    if not text.strip():
        return Feedback()
    try:
        card = parse_bank_card(text)
    except InvalidValue as error:
        if error.code == "length" and len(compact(text)) < MIN_LENGTH:
            return Feedback()  # still typing
        return Feedback("error", message_for(error))
    # Some real passbooks fail Luhn: a warning to compare against the card, never a refusal.
    if not card.warning:
        return Feedback()
    return Feedback("warning", in_language(card.warning, card.warning_en))


def show(box: FieldBox, feedback: Feedback) -> None:
    """Show an error or warning feedback (the worded kinds are shown by the widget)."""
    if feedback.kind == "error":
        box.set_error(feedback.message)
    elif feedback.kind == "warning":
        box.set_warning(feedback.message)
    else:
        box.clear()


def line_edit(name: str, accessible: str, *, read_only: bool = False) -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setAccessibleName(accessible)
    edit.setReadOnly(read_only)
    if read_only:
        # Filled from the ID number: not a stop on the way through the form.
        edit.setFocusPolicy(edit.focusPolicy().NoFocus)
        # Greyed by the stylesheet (QLineEdit:read-only).
    return edit
