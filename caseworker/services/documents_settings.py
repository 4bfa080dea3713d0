"""Centre printing settings: the receipt paper and the administrator's font file, declared in
``services.centre_settings``; the font file is checked here, where the fonts are known.
"""

from __future__ import annotations

from pathlib import Path

from caseworker.printing.fonts import FontChain, NoFontError, load_chain
from caseworker.printing.receipt import PAPERS, Paper
from caseworker.services.actor import Actor
from caseworker.services.centre_settings import (
    FONT_PATH,
    RECEIPT_PAPER,
    RECEIPT_PLACEMENT,
    RECEIPT_PLACEMENTS,
    change_setting,
    invalid,
    read_setting,
)
from caseworker.services.errors import ServiceError
from caseworker.store.database import Database


def receipt_paper(database: Database) -> Paper:
    paper = read_setting(database, RECEIPT_PAPER)
    return paper if paper in PAPERS else "a5"


def receipt_placement(database: Database) -> str:
    """``a5`` (A5 paper, actual size) or ``a4_top`` (the upper half of an A4 sheet)."""
    placement = read_setting(database, RECEIPT_PLACEMENT)
    return placement if placement in RECEIPT_PLACEMENTS else "a5"


def set_receipt_paper(database: Database, actor: Actor, paper: str) -> None:
    """A5 at the desk, the 80 mm roll on a portable printer; administrators only, audited."""
    change_setting(database, actor, RECEIPT_PAPER, paper)


def font_path(database: Database) -> str | None:
    return read_setting(database, FONT_PATH)


def set_font_path(database: Database, actor: Actor, path: str | None) -> None:
    """The administrator's font file (``.ttf``/``.ttc``, ``file.ttc#1`` for another face),
    tried before the system fonts; checked now, so a bad path fails here, not at printing."""
    actor.require(FONT_PATH.permission)  # before the check: a refusal says nothing of files
    if path:
        file = Path(path.partition("#")[0]).expanduser()
        try:
            chain = load_chain(path, system=False)
        except NoFontError as error:
            invalid(
                FONT_PATH,
                "unusable",
                f"字体文件“{file}”无法使用（需为可嵌入的 TrueType .ttf/.ttc 字体）："
                f"{'; '.join(error.tried)}",
                f"The font file “{file}” cannot be used (an embeddable TrueType .ttf/.ttc font "
                f"is needed): {'; '.join(error.tried)}",
            )
        path = f"{chain.primary.source.path}#{chain.primary.source.index}"
    change_setting(database, actor, FONT_PATH, path)


def font_chain(database: Database) -> FontChain:
    """The fonts documents print with: the administrator's file first, then the system's."""
    try:
        return load_chain(font_path(database))
    except NoFontError as error:
        raise ServiceError("no_font", error.message, error.message_en) from None
