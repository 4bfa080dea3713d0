"""Centre settings in one typed place: each declared once with its key, default and check.

A centre setting is configuration shared by every operator of this installation (receipt
paper, sync guardrails, idle lock, ...). It lives in the ``setting`` table and changes only
through :func:`change_setting`: permission checked, value checked, audited with before and
after, one transaction. Operator preferences on one computer (language, window layout) are
not here: they are the UI's, in ``caseworker.ui.preferences``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any, Generic, NoReturn, TypeVar

from sqlalchemy.orm import Session

from caseworker.domain.errors import InvalidValue
from caseworker.services.actor import Actor, Permission
from caseworker.services.errors import ValidationFailed
from caseworker.services.journal import audit
from caseworker.store.database import Database
from caseworker.store.models import Setting

T = TypeVar("T")


def _no_check(_value: Any) -> None:
    return None


@dataclass(frozen=True)
class Choice:
    """One value a choice setting may take, with its words for the Settings page."""

    value: str
    label: str
    label_en: str


@dataclass(frozen=True)
class CentreSetting(Generic[T]):
    """One centre setting: ``load`` turns the stored JSON into the value, ``dump`` back, and
    ``check`` raises ``ValidationFailed`` (naming ``key``) for a value that may not be saved.
    A stored value that no longer loads falls back to the default rather than stop the desk."""

    key: str
    default: T
    load: Callable[[dict[str, Any]], T]
    dump: Callable[[T], dict[str, Any]]
    check: Callable[[T], None] = field(default=_no_check)
    permission: Permission = Permission.MANAGE_CENTRE
    label: str = ""
    label_en: str = ""
    # For a setting that takes one of a few values: each value with its words. The Settings
    # page and ``caseworker settings`` build their inputs from the declaration (see
    # ``services.centre_settings_edit``), so a new setting needs no new screen code.
    choices: tuple[Choice, ...] = ()


def invalid(setting: CentreSetting[Any], code: str, message: str, message_en: str) -> NoReturn:
    _refuse(setting.key, code, message, message_en)


def _refuse(key: str, code: str, message: str, message_en: str) -> NoReturn:
    error = InvalidValue(key, code, message)
    error.message_en = message_en  # type: ignore[attr-defined]
    raise ValidationFailed([error])


def _scalar(name: str) -> tuple[Callable[[dict[str, Any]], Any], Callable[[Any], dict[str, Any]]]:
    return (lambda stored: stored[name]), (lambda value: {name: value})


def _choice_setting(
    key: str,
    default: str,
    field_name: str,
    label: tuple[str, str],
    choices: tuple[Choice, ...],
    refusal: tuple[str, str],
) -> CentreSetting[str]:
    """A setting that takes one of ``choices``; ``refusal`` (Chinese, English) says so, with
    ``{value}`` standing for what was given."""
    values = tuple(choice.value for choice in choices)

    def check(value: str) -> None:
        if value not in values:
            zh, en = (words.format(value=value) for words in refusal)
            _refuse(key, "unknown_code", zh, en)

    return CentreSetting(
        key,
        default,
        *_scalar(field_name),
        check=check,
        label=label[0],
        label_en=label[1],
        choices=choices,
    )


# -- the settings -------------------------------------------------------------------------

RECEIPT_PAPER = _choice_setting(
    "printing.receipt_paper",
    "a5",
    "paper",
    ("收据纸张", "Receipt paper"),
    (Choice("a5", "A5 纸", "A5 sheet"), Choice("roll80", "80 毫米卷纸", "80 mm roll")),
    (
        "收据纸张应为 a5 或 roll80，不能是“{value}”。",
        "The receipt paper is a5 or roll80, not “{value}”.",
    ),
)
RECEIPT_PAPERS = tuple(choice.value for choice in RECEIPT_PAPER.choices)

# Where an A5 receipt goes on the desk printer's paper: on A5 paper at its own size, or on
# the upper half of an A4 sheet (a printer that holds only A4). The roll prints on the roll.
RECEIPT_PLACEMENT = _choice_setting(
    "printing.receipt_placement",
    "a5",
    "placement",
    ("A5 收据打印在", "A5 receipts print on"),
    (
        Choice("a5", "A5 纸（实际大小）", "A5 paper (actual size)"),
        Choice("a4_top", "A4 纸上半张（实际大小）", "Top half of A4 (actual size)"),
    ),
    (
        "A5 收据的放置应为 a5（A5 纸）或 a4_top（A4 纸上半张），不能是“{value}”。",
        "A5 receipts go on a5 (A5 paper) or a4_top (the top half of A4), not “{value}”.",
    ),
)
RECEIPT_PLACEMENTS = tuple(choice.value for choice in RECEIPT_PLACEMENT.choices)

# The administrator's font file, tried before the system fonts (checked where it is set, in
# ``services.documents_settings``, because checking needs the printing module).
FONT_PATH: CentreSetting[str | None] = CentreSetting(
    "printing.font_path",
    None,
    lambda stored: stored.get("path") or None,
    lambda value: {"path": value},
    label="打印字体文件",
    label_en="Print font file",
)


@dataclass(frozen=True)
class Guardrails:
    """Warn, then block new enrolments, when sync falls this far behind."""

    warn_days: int = field(default=3, metadata={"label": ("提醒：未同步天数", "Warn after days")})
    block_days: int = field(
        default=14, metadata={"label": ("停办：未同步天数", "Block after days")}
    )
    warn_pending: int = field(
        default=500, metadata={"label": ("提醒：待上传条数", "Warn at records unsent")}
    )
    block_pending: int = field(
        default=5000, metadata={"label": ("停办：待上传条数", "Block at records unsent")}
    )


def _check_guardrails(rails: Guardrails) -> None:
    if not (
        0 < rails.warn_days <= rails.block_days and 0 < rails.warn_pending <= rails.block_pending
    ):
        invalid(
            GUARDRAILS,
            "out_of_order",
            "同步提醒阈值必须大于0且不大于停办阈值。",
            "Warning thresholds must be positive and not above the blocking thresholds.",
        )


GUARDRAILS: CentreSetting[Guardrails] = CentreSetting(
    "sync.guardrails",
    Guardrails(),
    lambda stored: Guardrails(**stored),
    asdict,
    check=_check_guardrails,
    label="同步提醒与停办阈值",
    label_en="Sync guardrails",
)

# One receipt for a whole visit (several schemes, several household members), or one receipt
# per scheme for provinces that require it.
RECEIPT_GROUPING = _choice_setting(
    "payments.receipt_grouping",
    "visit",
    "grouping",
    ("收据开具方式", "Receipts"),
    (
        Choice("visit", "一次办理开一张收据", "One receipt per visit"),
        Choice("scheme", "每个险种各开一张", "One receipt per scheme"),
    ),
    (
        "收据开具方式应为 visit（一次办理一张）或 scheme（每个险种一张），不能是“{value}”。",
        "Receipt grouping is visit (one per visit) or scheme (one per scheme), not “{value}”.",
    ),
)
RECEIPT_GROUPINGS = tuple(choice.value for choice in RECEIPT_GROUPING.choices)

# Only records a supervisor approved go upstream; a centre without supervisors turns it off.
REVIEW_REQUIRED: CentreSetting[bool] = CentreSetting(
    "review.required",
    True,
    *_scalar("required"),
    label="上传前须审核员审核",
    label_en="Supervisor approval before upload",
)

IDLE_LOCK_LIMITS = (1, 240)


def _check_idle_minutes(minutes: int) -> None:
    low, high = IDLE_LOCK_LIMITS
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not low <= minutes <= high:
        invalid(
            IDLE_LOCK_MINUTES,
            "out_of_range",
            f"闲置锁定时间应为 {low}–{high} 分钟之间的整数，不能是“{minutes}”。",
            f"The idle lock is a whole number of minutes from {low} to {high}, not “{minutes}”.",
        )


IDLE_LOCK_MINUTES: CentreSetting[int] = CentreSetting(
    "session.idle_lock_minutes",
    10,
    *_scalar("minutes"),
    check=_check_idle_minutes,
    label="闲置锁定（分钟）",
    label_en="Idle lock (minutes)",
)

CENTRE_SETTINGS: dict[str, CentreSetting[Any]] = {
    setting.key: setting
    for setting in (
        RECEIPT_PAPER,
        RECEIPT_PLACEMENT,
        FONT_PATH,
        GUARDRAILS,
        RECEIPT_GROUPING,
        REVIEW_REQUIRED,
        IDLE_LOCK_MINUTES,
    )
}


# -- reading and changing -----------------------------------------------------------------


def setting_value(session: Session, setting: CentreSetting[T]) -> T:
    """The value in force, inside the caller's transaction."""
    row = session.get(Setting, setting.key)
    if row is None:
        return setting.default
    try:
        value = setting.load(row.value)
        setting.check(value)
    except (KeyError, TypeError, ValueError, ValidationFailed):
        return setting.default
    return value


def read_setting(database: Database, setting: CentreSetting[T]) -> T:
    with database.reading() as session:
        return setting_value(session, setting)


def change_setting(database: Database, actor: Actor, setting: CentreSetting[T], value: T) -> None:
    """Set a centre setting: its permission, its check, then one audited write."""
    actor.require(setting.permission)
    setting.check(value)
    stored = setting.dump(value)
    with database.writing() as session:
        row = session.get(Setting, setting.key)
        before = row.value if row else None
        if before == stored:
            return
        if row is None:
            session.add(Setting(key=setting.key, value=stored))
        else:
            row.value = stored
        audit(
            session,
            actor,
            action="setting.change",
            entity_type="setting",
            entity_id=None,
            detail={"key": setting.key, "before": before, "after": stored},
        )
