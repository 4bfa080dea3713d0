"""The recovery key shown once at setup: 8 groups of 5 random Crockford base32 characters and
one check character each (200 random bits; a typo is pinned to its group)."""

from __future__ import annotations

import secrets
import unicodedata

from caseworker.store.key_errors import WrongRecoveryKey

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RECOVERY_GROUPS, RECOVERY_DATA_CHARS = 8, 5  # 8 × 5 × 5 bits = 200 bits, + 1 check char/group


def _gf32_mul(a: int, b: int) -> int:
    # GF(32) with x^5 + x^2 + 1: a weighted sum here catches every single wrong character
    # and every swap of two neighbours, which a plain sum mod 32 would not.
    result = 0
    for _ in range(5):
        if b & 1:
            result ^= a
        b >>= 1
        a = (a << 1) ^ (0b100101 if a & 0b10000 else 0)
    return result


def _group_check(index: int, values: list[int]) -> str:
    acc, weight = index + 1, 2  # the group number is mixed in so swapped groups are caught
    for value in values:
        acc ^= _gf32_mul(weight, value)
        weight = _gf32_mul(weight, 2)
    return CROCKFORD[acc]


def new_recovery_key() -> str:
    groups = []
    for index in range(RECOVERY_GROUPS):
        values = [secrets.randbelow(32) for _ in range(RECOVERY_DATA_CHARS)]
        groups.append("".join(CROCKFORD[v] for v in values) + _group_check(index, values))
    return "-".join(groups)


def normalise_recovery_key(text: str) -> str:
    """Canonical ``XXXXXX-…`` form; WrongRecoveryKey names the group holding a typo."""
    text = unicodedata.normalize("NFKC", text).upper()  # NFKC folds full-width input
    text = "".join(c for c in text if c.isalnum()).translate(str.maketrans("OIL", "011"))
    size = RECOVERY_DATA_CHARS + 1
    if len(text) != RECOVERY_GROUPS * size:
        raise WrongRecoveryKey(
            f"恢复密钥应为{RECOVERY_GROUPS}组、每组{size}个字符，请核对。",
            f"A recovery key has {RECOVERY_GROUPS} groups of {size} characters.",
        )
    groups = [text[i : i + size] for i in range(0, len(text), size)]
    for index, group in enumerate(groups):
        if any(c not in CROCKFORD for c in group) or group[-1] != _group_check(
            index, [CROCKFORD.index(c) for c in group[:-1]]
        ):
            raise WrongRecoveryKey(
                f"恢复密钥第{index + 1}组有误，请核对。",
                f"Group {index + 1} of the recovery key has a typo.",
            )
    return "-".join(groups)
