"""Parts other engineers build in parallel, found at run time so this code works before and
after they land: the enrolment form, the payment dialog, and the printing module.

Each lookup imports lazily and returns None while the module is absent; the caller shows a
clear placeholder instead. Only a missing module counts as absent: a module that exists but
fails to import is a bug, and its error propagates.
"""

from __future__ import annotations

import importlib
import importlib.util
from types import ModuleType
from typing import Any

ENROLMENT_FORM_MODULE = "caseworker.ui.views.enrolment_form"
PAYMENT_DIALOG_MODULE = "caseworker.ui.dialogs.payment_dialog"
PRINTING_MODULE = "caseworker.ui.printing"


def _module(name: str) -> ModuleType | None:
    if importlib.util.find_spec(name) is None:
        return None
    return importlib.import_module(name)


def enrolment_form_class() -> Any | None:
    """``EnrolmentForm(session, runner, parent)`` with new(), edit(), saved, open_person_requested."""
    module = _module(ENROLMENT_FORM_MODULE)
    return getattr(module, "EnrolmentForm", None) if module else None


def payment_dialog_class() -> Any | None:
    """``PaymentDialog(session, runner, person_id, parent)``, a QDialog."""
    module = _module(PAYMENT_DIALOG_MODULE)
    return getattr(module, "PaymentDialog", None) if module else None


def printing_module() -> ModuleType | None:
    return _module(PRINTING_MODULE)
