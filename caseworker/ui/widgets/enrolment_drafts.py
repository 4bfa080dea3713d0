"""Drafts of the enrolment form: written a moment after each change, offered back after a
crash, deleted once the enrolment is saved.

A mixin of ``EnrolmentForm``; the encrypted files themselves are ``caseworker.ui.drafts``.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtGui import QCloseEvent, QHideEvent
from PySide6.QtWidgets import QMessageBox

from caseworker.domain.ids import mask_id_number
from caseworker.services.centre import OpenSession
from caseworker.ui.drafts import ENROLMENT as DRAFT_KIND
from caseworker.ui.drafts import DraftStore
from caseworker.ui.widgets.common import Banner
from caseworker.ui.widgets.document_checklist import DocumentChecklist
from caseworker.ui.widgets.person_fields import PersonFields
from caseworker.ui.widgets.scheme_chooser import SchemeChooser

DRAFT_DELAY_MS = 800  # after the last keystroke: often enough to lose nothing, rarely enough


class EnrolmentDrafts:
    """Needs the form's widgets and ``_reset``, ``_refresh``, ``_set_title`` (no stubs here:
    a stub would shadow the form's or QWidget's own methods in the resolution order)."""

    session: OpenSession
    person: PersonFields
    schemes: SchemeChooser
    documents: DocumentChecklist
    banner: Banner
    drafts: DraftStore | None  # None while the window is locked: no key to write with
    draft_id: uuid.UUID
    person_id: uuid.UUID | None
    expected_version: int | None
    _draft_timer: QTimer
    _dirty: bool
    _loading: int
    leave_box: QMessageBox | None

    @staticmethod
    def discard_draft(session: OpenSession, draft_id: uuid.UUID) -> None:
        DraftStore(session.database.paths, session.database_key).delete(draft_id)

    def restore_draft(self, draft_id: uuid.UUID) -> None:
        assert self.drafts is not None, "no drafts while locked"
        data = self.drafts.load(draft_id)
        self._reset(mode_new=data.get("person_id") is None)
        self.draft_id = draft_id  # keep writing into the same draft
        self._loading += 1
        try:
            if data.get("person_id"):
                self.person_id = uuid.UUID(data["person_id"])
                self.expected_version = data.get("expected_version")
            self.person.set_state(data.get("person") or {})
            self.schemes.set_state(data.get("schemes") or {}, locked=set(data.get("locked") or []))
            self.documents.set_ticked(set(data.get("documents") or []))
        finally:
            self._loading -= 1
        self._dirty = True  # still unsaved: leaving asks again
        self._refresh()
        self._set_title()
        self.banner.show_message(self.tr("已恢复未保存的草稿，请核对后保存。"), "info")

    def draft_data(self) -> dict[str, Any]:
        return {
            "person_id": str(self.person_id) if self.person_id else None,
            "expected_version": self.expected_version,
            "locked": sorted(r.scheme for r in self.schemes.rows.values() if r.locked),
            "person": self.person.state(),
            "schemes": self.schemes.state(),
            "documents": sorted(self.documents.ticked()),
        }

    def write_draft(self) -> None:
        """Write the draft now (the timer calls this; so do hiding and closing)."""
        self._draft_timer.stop()
        if not self._dirty or self.drafts is None:
            return  # nothing typed, or locked (the draft was written when it locked)
        name = self.person.name.text().strip() or self.tr("（未填姓名）")
        number = self.person.identity.number if self.person.identity else ""
        # A small encrypted file written inline: ordering with the delete on save matters
        # more than the millisecond it takes.
        self.drafts.save(
            self.draft_id,
            kind=DRAFT_KIND,
            operator=self.session.actor.username,
            summary=f"{name} {mask_id_number(number)}".strip(),
            data=self.draft_data(),
        )

    def leave(self, then: Callable[[uuid.UUID | None], None]) -> None:
        """Leaving the form (another view, a language switch, closing the window): with
        unsaved input, ask first — save as draft, discard, or cancel. ``then`` runs unless
        cancelled, with the draft's id when one was kept."""
        if not self._dirty:
            then(None)
            return
        box = QMessageBox(self)
        box.setObjectName("leaveForm")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("登记表未保存"))
        box.setText(self.tr("登记表中有尚未保存的内容。"))
        box.setInformativeText(
            self.tr("保存为草稿：以后登录时可以恢复；放弃：删除已输入的内容；取消：继续填写。")
        )
        keep = box.addButton(self.tr("保存为草稿"), QMessageBox.ButtonRole.AcceptRole)
        drop = box.addButton(self.tr("放弃"), QMessageBox.ButtonRole.DestructiveRole)
        stay = box.addButton(self.tr("取消"), QMessageBox.ButtonRole.RejectRole)
        keep.setObjectName("keepDraft")
        drop.setObjectName("discardInput")
        stay.setObjectName("stayOnForm")
        box.setDefaultButton(keep)
        box.setEscapeButton(stay)

        def answered(button: object) -> None:
            if button is keep:
                self.write_draft()
                kept: uuid.UUID | None = self.draft_id
            elif button is drop:
                if self.drafts is not None:
                    self.drafts.delete(self.draft_id)
                kept = None
            else:
                return
            self._dirty = False  # decided: hiding the form writes nothing more
            self._draft_timer.stop()
            then(kept)

        box.buttonClicked.connect(answered)
        self.leave_box = box
        # open(), not exec(): no nested event loop while the write lane may be busy.
        box.open()

    def lock_drafts(self) -> None:
        """The window locks: what is typed goes into this operator's draft, then the draft key
        is let go (the widgets keep the input for the same operator's return)."""
        self.write_draft()
        self.drafts = None

    def unlock_drafts(self) -> None:
        self.drafts = DraftStore(self.session.database.paths, self.session.database_key)

    def hideEvent(self, event: QHideEvent) -> None:
        self.write_draft()
        super().hideEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.write_draft()
        super().closeEvent(event)
