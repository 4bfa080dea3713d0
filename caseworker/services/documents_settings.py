"""Centre printing settings: the receipt paper and the administrator's font file live in the
``setting`` table and change only through the audited functions here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from caseworker.domain.errors import InvalidValue
from caseworker.printing.fonts import FontChain, NoFontError, load_chain
from caseworker.printing.receipt import PAPERS, Paper
from caseworker.services.actor import Actor, Permission
from caseworker.services.errors import ServiceError, ValidationFailed
from caseworker.services.journal import audit
from caseworker.store.database import Database
from caseworker.store.models import (
    Setting,
)

RECEIPT_PAPER_KEY = "printing.receipt_paper"
FONT_PATH_KEY = "printing.font_path"
# -- settings -----------------------------------------------------------------------------


def _setting(session: Session, key: str) -> dict[str, Any] | None:
    row = session.get(Setting, key)
    return row.value if row else None


def _put_setting(database: Database, actor: Actor, key: str, value: dict[str, Any]) -> None:
    actor.require(Permission.MANAGE_CENTRE)
    with database.writing() as session:
        row = session.get(Setting, key)
        before = row.value if row else None
        if row is None:
            session.add(Setting(key=key, value=value))
        else:
            row.value = value
        audit(
            session,
            actor,
            action="setting.change",
            entity_type="setting",
            entity_id=None,
            detail={"key": key, "before": before, "after": value},
        )


def receipt_paper(database: Database) -> Paper:
    with database.reading() as session:
        value = _setting(session, RECEIPT_PAPER_KEY) or {}
    paper = value.get("paper")
    return paper if paper in PAPERS else "a5"


def set_receipt_paper(database: Database, actor: Actor, paper: str) -> None:
    """A5 at the desk, the 80 mm roll on a portable printer; administrators only, audited."""
    if paper not in PAPERS:
        raise ValidationFailed(
            [
                InvalidValue(
                    "receipt_paper", "unknown_code", f"收据纸张应为 a5 或 roll80，不能是“{paper}”。"
                )
            ]
        )
    _put_setting(database, actor, RECEIPT_PAPER_KEY, {"paper": paper})


def font_path(database: Database) -> str | None:
    with database.reading() as session:
        value = _setting(session, FONT_PATH_KEY) or {}
    return value.get("path") or None


def set_font_path(database: Database, actor: Actor, path: str | None) -> None:
    """The administrator's font file (``.ttf``/``.ttc``, ``file.ttc#1`` for another face),
    tried before the system fonts; checked now, so a bad path fails here, not at printing."""
    if path:
        file = Path(path.partition("#")[0]).expanduser()
        try:
            chain = load_chain(path, system=False)
        except NoFontError as error:
            raise ValidationFailed(
                [
                    InvalidValue(
                        "font_path",
                        "unusable",
                        f"字体文件“{file}”无法使用（需为可嵌入的 TrueType .ttf/.ttc 字体）："
                        f"{'; '.join(error.tried)}",
                    )
                ]
            ) from None
        path = f"{chain.primary.source.path}#{chain.primary.source.index}"
    _put_setting(database, actor, FONT_PATH_KEY, {"path": path})


def font_chain(database: Database) -> FontChain:
    """The fonts documents print with: the administrator's file first, then the system's."""
    try:
        return load_chain(font_path(database))
    except NoFontError as error:
        raise ServiceError("no_font", error.message, error.message_en) from None
