"""Money as integer fen (分): parsing what clerks type, display, and capitals for receipts.

Never a float anywhere: amounts are parsed digit by digit into ``int`` fen.

Capitals (大写金额) follow the PBOC bank-bill writing rules (《支付结算办法》附件一):
* ``元整`` when there are no 角/分; after 角 no ``整`` (the rules allow either, we never
  write it, as cn2an's "rmb" mode does): 0.50 → ``伍角``, 20.30 → ``贰拾元叁角``.
* Below one yuan there is no leading ``零元``: 0.05 → ``伍分``; zero is ``零元整``.
* One ``零`` for each run of zeros between two non-zero digits. Where the rules make ``零``
  optional (zeros closed off by 万/亿/元 and followed by a non-zero 仟 or 角) we omit it:
  107,000.53 → ``壹拾万柒仟元伍角叁分``, 1,680.32 → ``壹仟陆佰捌拾元叁角贰分``.
  A whole 万 group of zeros always gets its 零: 100,001,000 → ``壹亿零壹仟元整``.
* ``壹拾`` is always written out (never a bare ``拾``), so nothing can be prefixed.

We do not use cn2an's "rmb" mode: it writes 100,001,000 as ``壹亿壹仟元整`` (read aloud that is
easily taken for 1.1 亿) and it works on strings and floats, not integer fen.
"""

from __future__ import annotations

import re
import unicodedata

from caseworker.domain.errors import InvalidValue

__all__ = [
    "MAX_FEN",
    "Fen",
    "InvalidAmount",
    "format_yuan",
    "parse_yuan",
    "to_chinese_capitals",
]

Fen = int
MAX_FEN: Fen = 99_999_999_999_999  # 999,999,999,999.99 yuan: capitals stop below 万亿

_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL_UNITS = ("", "拾", "佰", "仟")
_GROUP_UNITS = ("", "万", "亿")
# Optional currency marks and the 元 suffix; NFKC has already turned ￥ into ¥.
_AMOUNT_RE = re.compile(r"(?:¥|RMB)?(?P<body>[0-9,]*)(?:\.(?P<fraction>[0-9]*))?元?", re.I)
_GROUPED_RE = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})*")
_MINUS = frozenset("-\u2212\u2010\u2011\u2012\u2013\u2014\u2015\ufe63\uff0d")


class InvalidAmount(InvalidValue):
    """Field ``amount``; codes: empty, characters, format, decimals, negative, too_large."""

    def __init__(self, code: str, message: str, message_en: str) -> None:
        super().__init__("amount", code, message)
        self.message_en = message_en


def _check_range(fen: Fen) -> None:
    if isinstance(fen, bool) or not isinstance(fen, int):
        raise TypeError(f"amounts are integer fen, not {type(fen).__name__}")
    if fen < 0:
        raise InvalidAmount("negative", "金额不能为负数。", "The amount cannot be negative.")
    if fen > MAX_FEN:
        raise InvalidAmount(
            "too_large",
            "金额过大，最多为 999,999,999,999.99 元，请核对。",
            "The amount is too large (at most 999,999,999,999.99 yuan); please check it.",
        )


def parse_yuan(text: str) -> Fen:
    """``"1,234.56"``, ``"￥400"``, ``"４００元"``, ``"400.5"`` → fen.

    Raises :class:`InvalidAmount`.
    """
    # NFKC: full-width digits, ，and ．; 。 is what a Chinese-punctuation keyboard gives for ".".
    folded = unicodedata.normalize("NFKC", text).replace("。", ".")
    compact = "".join(ch for ch in folded if not ch.isspace() and unicodedata.category(ch) != "Cf")
    if not compact:
        raise InvalidAmount("empty", "请填写金额。", "Please enter the amount.")
    if compact[0] in _MINUS or compact.lstrip("¥")[:1] in _MINUS:
        raise InvalidAmount("negative", "金额不能为负数。", "The amount cannot be negative.")
    match = _AMOUNT_RE.fullmatch(compact)
    if match is None:
        bad = next(
            (ch for ch in compact if not (ch.isdigit() and ch.isascii()) and ch not in ",.¥元"),
            None,
        )
        if bad is not None:
            raise InvalidAmount(
                "characters",
                f"金额中不能包含“{bad}”，请只填写数字和小数点，如 400 或 400.50。",
                f"The amount cannot contain “{bad}”; enter digits and a decimal point, "
                "e.g. 400 or 400.50.",
            )
        raise _format_error()
    body, fraction = match["body"], match["fraction"]
    if not body and fraction:
        body = "0"  # ".5" is half a yuan
    if not body or ("," in body and not _GROUPED_RE.fullmatch(body)):
        raise _format_error()
    if fraction is not None and len(fraction) > 2:
        raise InvalidAmount(
            "decimals",
            "金额最多保留两位小数（到分），请核对。",
            "An amount has at most two decimal places (fen); please check it.",
        )
    fen = int(body.replace(",", "")) * 100 + int((fraction or "").ljust(2, "0"))
    _check_range(fen)
    return fen


def _format_error() -> InvalidAmount:
    return InvalidAmount(
        "format",
        "金额格式不对，请填写如 400、400.50 或 1,234.56 的数字。",
        "The amount is not in a usable form; enter it like 400, 400.50 or 1,234.56.",
    )


def format_yuan(fen: Fen, *, symbol: bool = False, grouping: bool = True) -> str:
    """``123450`` → ``"1,234.50"`` (``"¥1,234.50"`` with ``symbol``). Negative amounts (e.g. a
    reconciliation difference) get a leading ``-``."""
    if isinstance(fen, bool) or not isinstance(fen, int):
        raise TypeError(f"amounts are integer fen, not {type(fen).__name__}")
    yuan, cents = divmod(abs(fen), 100)
    whole = f"{yuan:,}" if grouping else str(yuan)
    return f"{'-' if fen < 0 else ''}{'¥' if symbol else ''}{whole}.{cents:02d}"


def to_chinese_capitals(fen: Fen) -> str:
    """Amount in financial capitals, e.g. 100010.00 yuan → ``壹拾万零壹拾元整`` (rules above)."""
    _check_range(fen)
    yuan, cents = divmod(fen, 100)
    jiao, fen_digit = divmod(cents, 10)
    if yuan == 0 and cents == 0:
        return "零元整"
    out: list[str] = []
    pending_zero = False  # zeros seen since the last non-zero digit
    digits = str(yuan) if yuan else ""
    for index, ch in enumerate(digits):
        place = len(digits) - 1 - index  # 0 = 元 digit
        if ch == "0":
            pending_zero = bool(out)
        else:
            if pending_zero:
                out.append("零")
            out.append(_DIGITS[int(ch)] + _SMALL_UNITS[place % 4])
            pending_zero = False
        if place % 4 == 0 and place:
            group = digits[max(index - 3, 0) : index + 1]
            if group.strip("0"):
                # 万/亿 closes the group: its own trailing zeros need no 零.
                out.append(_GROUP_UNITS[place // 4])
                pending_zero = False
    if yuan:
        out.append("元")
    if jiao:
        out.append(_DIGITS[jiao] + "角")
    if fen_digit:
        if yuan and not jiao:
            out.append("零")  # 1004.05 → 壹仟零肆元零伍分: the rules require this one
        out.append(_DIGITS[fen_digit] + "分")
    elif not jiao:
        out.append("整")
    return "".join(out)
