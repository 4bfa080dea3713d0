"""Payments made through the tax authority's channels: which channels, and voucher numbers.

Since 2019 contributions are collected by the tax authority. A resident who pays through its
channels (a bank counter, WeChat, Alipay, the tax app) gets a tax voucher (完税凭证 /
缴费凭证) whose number is what the centre records instead of issuing a receipt of its own.
"""

from __future__ import annotations

import re
import unicodedata

from caseworker.domain.errors import InvalidValue

# The tax authority's channels, as stored in ``payment.method`` for channel "tax".
TAX_CHANNELS = ("bank", "wechat", "alipay", "tax_app")

VOUCHER_MIN = 6
VOUCHER_MAX = 40  # payment.voucher_number is String(40)
_VOUCHER = re.compile(r"[0-9A-Z][0-9A-Z\-]*")


class InvalidTaxPayment(InvalidValue):
    """A tax-channel field that cannot be right; ``message`` Chinese, ``message_en`` English."""

    def __init__(self, field: str, code: str, message: str, message_en: str) -> None:
        super().__init__(field, code, message)
        self.message_en = message_en


def parse_voucher_number(text: str | None) -> str:
    """A voucher number as typed (full-width digits, spaces, lower case) → its stored form.

    Vouchers are digits and capital letters, sometimes with dashes; nothing else is a
    voucher, so anything else is refused with what is wrong rather than stored.
    """
    value = unicodedata.normalize("NFKC", text or "").upper()
    value = re.sub(r"\s+", "", value)
    if not value:
        raise InvalidTaxPayment(
            "voucher_number",
            "empty",
            "请填写税务缴费凭证号（完税凭证或缴费凭证上的号码）。",
            "Enter the tax voucher number (the number on the tax payment voucher).",
        )
    if not _VOUCHER.fullmatch(value):
        bad = "".join(sorted({c for c in value if not (c.isascii() and (c.isalnum() or c == "-"))}))
        raise InvalidTaxPayment(
            "voucher_number",
            "bad_characters",
            f"凭证号只能含数字、大写字母和“-”，不能含“{bad or value[0]}”。",
            f"A voucher number holds only digits, capital letters and '-', not {bad or value[0]!r}.",
        )
    if not VOUCHER_MIN <= len(value) <= VOUCHER_MAX:
        raise InvalidTaxPayment(
            "voucher_number",
            "bad_length",
            f"凭证号应为{VOUCHER_MIN}至{VOUCHER_MAX}位，现为{len(value)}位，请核对。",
            f"A voucher number has {VOUCHER_MIN} to {VOUCHER_MAX} characters; this one has "
            f"{len(value)}.",
        )
    return value


def parse_tax_channel(code: str | None) -> str:
    if code not in TAX_CHANNELS:
        raise InvalidTaxPayment(
            "channel",
            "unknown_code",
            "请选择缴费渠道：银行、微信、支付宝或税务APP。",
            "Choose the channel: bank, WeChat, Alipay or the tax app.",
        )
    return code
