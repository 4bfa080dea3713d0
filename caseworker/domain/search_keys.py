"""Search keys for the one-box person search, and the plan that turns typed text into lookups.

The registry holds up to 500,000 people, so every lookup must be a *prefix* match on an
index; nothing here needs a leading-wildcard scan.

What the store keeps per person
-------------------------------
* ``person_search_key(key TEXT, person_id)`` with an index on ``key``: one row per entry of
  :func:`name_keys` (Chinese suffixes, full pinyin, given-name pinyin, initials, Latin words).
  Rebuild a person's rows whenever the name changes.
* ``person.id_number`` (indexed, the 18-character form) and ``person.id_number_reversed`` =
  ``reversed_key(id_number)`` (indexed), so an ID tail becomes a prefix.
* ``person.phone_reversed`` = ``reversed_key(phone digits)`` (indexed); ``person.phone``
  (digits only, indexed) for leading-digit matches.

How the store uses :class:`QueryPlan`
-------------------------------------
Every non-``None`` field is one lookup; the result is the UNION of them (DISTINCT person ids),
ordered by relevance (exact ID first, then name/ID/phone matches) and LIMITed — a one-letter
pinyin prefix can match a large share of the registry. For a prefix ``p`` use the range
``col >= p AND col < prefix_upper_bound(p)``. That uses a plain BINARY index, needs no escaping
of ``%``/``_``, and avoids SQLite's rule that ``LIKE 'p%'`` only uses an index when the column is
NOCASE or ``PRAGMA case_sensitive_like=ON`` is set. All keys are already lower-case (pinyin)
or upper-case (ID ``X``), so case-sensitive comparison is correct.

* ``id_exact``            → ``person.id_number = ?``
* ``id_prefix``           → range on ``person.id_number``
* ``id_reversed_prefix``  → range on ``person.id_number_reversed``
* ``phone_reversed_prefix`` → range on ``person.phone_reversed``
* ``phone_prefix``        → range on ``person.phone``
* ``name_key_prefix``     → range on ``person_search_key.key``

A plan with every field ``None`` (``plan.is_empty``) means "too short to search": show a hint
rather than running a query. ``plan.reason`` says why.
"""

from __future__ import annotations

import heapq
import itertools
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from caseworker.domain.ids import InvalidIdNumber, id_check_character, parse_id_number
from caseworker.domain.names import split_surname
from caseworker.resources import load_json

MAX_PINYIN_VARIANTS = 16
"""Cap on full-pinyin (and, separately, initials) combinations per name or name part."""

_DOTS = "·•‧・･⋅.．"  # middle-dot look-alikes that input methods produce in minority names
_DOT_RE = re.compile(f"[{re.escape(_DOTS)}]")
_SEPARATORS_RE = re.compile(r"[\s\-‐‑‒–—―−ー_/]+")
_ASCII_WORD_RE = re.compile(r"[a-z0-9]+")
_PINYIN_RE = re.compile(r"[a-z]+")
_FOREIGN_2017_RE = re.compile(r"[A-Za-z]{3}\d{12}")  # the 2017 permanent residence card


def _is_cjk(ch: str) -> bool:
    # Unified ideographs in every block (BMP and the astral extensions) plus 〇.
    cp = ord(ch)
    return (
        0x3400 <= cp <= 0x4DBF
        or 0x4E00 <= cp <= 0x9FFF
        or 0xF900 <= cp <= 0xFAFF
        or 0x20000 <= cp <= 0x3FFFF
        or cp == 0x3007
    )


def reversed_key(s: str) -> str:
    """``s`` compacted (NFKC, no spaces/dashes, upper-case) and reversed: tails become prefixes.

    The store uses it for the ``id_number_reversed`` and ``phone_reversed`` columns; the query
    plan uses it for the typed tail, so both sides are normalised the same way.
    """
    return _SEPARATORS_RE.sub("", unicodedata.normalize("NFKC", s)).upper()[::-1]


def prefix_upper_bound(prefix: str) -> str:
    """Smallest string greater than every string that starts with ``prefix`` (code-point order).

    ``col >= prefix AND col < prefix_upper_bound(prefix)`` is a prefix match that any BINARY
    index serves; UTF-8 byte order equals code-point order, so SQLite agrees with Python.
    """
    chars = list(prefix)
    while chars:
        cp = ord(chars.pop()) + 1
        if 0xD800 <= cp <= 0xDFFF:  # surrogates cannot be stored as UTF-8
            cp = 0xE000
        if cp <= 0x10FFFF:
            return "".join(chars) + chr(cp)
    raise ValueError("no upper bound for an empty prefix or one made of U+10FFFF only")


# --- surname readings --------------------------------------------------------------------


@cache
def _surname_table() -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    data = load_json("codes", "surname_readings.json")
    return data["single"], data["compound"]


# --- per-character readings ----------------------------------------------------------------


@cache
def _char_readings(ch: str) -> tuple[str, ...]:
    """All toneless readings of one character, most common first; () if pypinyin doesn't know it."""
    if not _is_cjk(ch):
        low = ch.lower()
        return (low,) if low.isascii() and low.isalnum() else ()
    # pypinyin loads its dictionaries (~0.5 s) on import: only when a name is indexed, so
    # starting the app and searching never pay for it.
    from pypinyin import Style, pinyin

    found = pinyin(ch, style=Style.NORMAL, heteronym=True, errors="ignore")
    readings = [r for r in (found[0] if found else []) if _PINYIN_RE.fullmatch(r)]
    # Input methods spell ü as v; some clerks type u. Offer u last.
    readings += [r.replace("v", "u") for r in readings if "v" in r]
    return tuple(dict.fromkeys(readings))


def _has_phrase(text: str) -> bool:
    """Does any run of 2+ characters form a word in pypinyin's phrase dictionary?"""
    from pypinyin.constants import PHRASES_DICT

    n = len(text)
    return any(text[i:j] in PHRASES_DICT for i in range(n - 1) for j in range(i + 2, n + 1))


def _contextual(text: str) -> list[str | None]:
    """pypinyin's reading of each character in context (phrase-aware), or None if unknown."""
    known = [i for i, ch in enumerate(text) if _is_cjk(ch) and _char_readings(ch)]
    out: list[str | None] = [None] * len(text)
    joined = "".join(text[i] for i in known)
    if not _has_phrase(joined):
        # Without a phrase the reading in context is the first single-character reading,
        # which already comes first; skipping the call keeps bulk indexing fast.
        return out
    from pypinyin import Style, pinyin

    ctx = pinyin(joined, style=Style.NORMAL, errors="ignore")
    if len(ctx) == len(known):  # else pypinyin grouped differently: do without context
        for i, r in zip(known, ctx, strict=True):
            out[i] = r[0] if _PINYIN_RE.fullmatch(r[0]) else None
    return out


def _position_readings(text: str, preferred: Sequence[Sequence[str]] = ()) -> list[list[str]]:
    """Readings for each character of ``text`` that has any, preferred readings first.

    ``preferred[i]`` (e.g. from the surname table) goes before pypinyin's reading in context,
    which goes before the other readings of the character. Unknown characters are skipped.
    """
    ctx = _contextual(text)
    positions: list[list[str]] = []
    for i, ch in enumerate(text):
        all_readings = _char_readings(ch)
        if not all_readings:
            continue
        first = list(preferred[i]) if i < len(preferred) else []
        if ctx[i]:
            first.append(ctx[i])
        positions.append(list(dict.fromkeys([*first, *all_readings])))
    return positions


def _best_combinations(positions: Sequence[Sequence[str]], limit: int) -> Iterator[tuple[str, ...]]:
    """Up to ``limit`` combinations, the preferred one (every first reading) first.

    When there are more than ``limit``, the ones kept are those of least total rank (sum of
    reading indexes), found best-first over the index grid: a long name of polyphones costs
    O(limit * n) rather than the full product of its readings.
    """
    if not positions or any(not p for p in positions):
        return
    total = 1
    for p in positions:
        total *= len(p)
    if total <= limit:
        # The common case, a few polyphones: all of them, the preferred combination first.
        yield from itertools.product(*positions)
        return
    start = (0,) * len(positions)
    heap = [(0, start)]
    seen = {start}
    produced = 0
    while heap and produced < limit:
        cost, idx = heapq.heappop(heap)
        yield tuple(p[i] for p, i in zip(positions, idx, strict=True))
        produced += 1
        for k in range(len(idx)):
            if idx[k] + 1 < len(positions[k]):
                nxt = (*idx[:k], idx[k] + 1, *idx[k + 1 :])
                if nxt not in seen:
                    seen.add(nxt)
                    heapq.heappush(heap, (cost + 1, nxt))


def _pinyin_keys(positions: Sequence[Sequence[str]], *, initials: bool = True) -> set[str]:
    keys = {"".join(c) for c in _best_combinations(positions, MAX_PINYIN_VARIANTS)}
    if initials:
        letters = [list(dict.fromkeys(r[0] for r in p)) for p in positions]
        keys |= {"".join(c) for c in _best_combinations(letters, MAX_PINYIN_VARIANTS)}
    keys.discard("")
    return keys


# --- name keys ------------------------------------------------------------------------------


def normalize_name(name: str) -> str:
    """NFKC, no whitespace, and every middle-dot look-alike made the standard ``·``."""
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", name))
    return _DOT_RE.sub("·", text).strip("·")


def _latin_keys(name: str) -> set[str]:
    # Each word, and the name joined from each word on ("smithjones" for John Smith-Jones).
    words = _ASCII_WORD_RE.findall(unicodedata.normalize("NFKC", name).lower())
    return {*words, *("".join(words[i:]) for i in range(len(words)))}


def name_keys(name: str) -> set[str]:
    """Every key under which a person with this name is found by a prefix search.

    Chinese: each suffix of the name (without dots), full pinyin of the name and of the given
    name, initials of the name; all readings of polyphones, capped at
    :data:`MAX_PINYIN_VARIANTS`, surname-table reading first. Minority names with ``·``: the
    same for the whole name, plus each part. Latin names: lower-case joined, and each word.
    """
    return set(_name_keys(name))


@lru_cache(maxsize=65536)  # names repeat a lot in a registry; bulk re-indexing benefits
def _name_keys(name: str) -> frozenset[str]:
    return frozenset(_compute_name_keys(name))


def _compute_name_keys(name: str) -> set[str]:
    text = normalize_name(name)
    if not text:
        return set()
    if not any(_is_cjk(ch) for ch in text):
        return _latin_keys(name)

    parts = [p for p in text.split("·") if p]
    compact = "".join(parts)
    keys = {compact[i:] for i in range(len(compact))}

    if len(parts) > 1:
        # Minority names have no surname: the parts are the person's and the father's names.
        keys.update(parts)
        keys |= _pinyin_keys(_position_readings(compact))
        for part in parts:
            keys |= _pinyin_keys(_position_readings(part))
        return keys

    surname, given = split_surname(compact)
    single, compound = _surname_table()
    if len(surname) == 2:
        # Keep the single-surname reading of the first character too: 单于飞 may be 单 + 于飞.
        preferred = [[compound[surname][0], *single.get(surname[0], [])], [compound[surname][1]]]
    else:
        preferred = [single.get(surname, [])]
    keys |= _pinyin_keys(_position_readings(compact, preferred))
    if given:
        keys |= _given_name_keys(given)
    return keys


@lru_cache(maxsize=65536)  # given names repeat far more than whole names (伟, 秀英 …)
def _given_name_keys(given: str) -> frozenset[str]:
    return frozenset(_pinyin_keys(_position_readings(given), initials=False))


# --- query plan -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class QueryPlan:
    """What to look up for one search-box text; see the module docstring for the SQL."""

    text: str
    """The normalised text the plan was made from."""
    id_exact: str | None = None
    id_prefix: str | None = None
    id_reversed_prefix: str | None = None
    phone_reversed_prefix: str | None = None
    phone_prefix: str | None = None
    name_key_prefix: str | None = None
    reason: str = ""
    """Why the plan is empty (``empty``, ``too_short``, ``no_match_possible``), else ""."""

    @property
    def is_empty(self) -> bool:
        return not any(
            (
                self.id_exact,
                self.id_prefix,
                self.id_reversed_prefix,
                self.phone_reversed_prefix,
                self.phone_prefix,
                self.name_key_prefix,
            )
        )


def _upgrade_15(number: str) -> str:
    first17 = number[:6] + "19" + number[6:]
    return first17 + id_check_character(first17)


def query_plan(text: str) -> QueryPlan:
    """Classify what the clerk typed into the lookups that can find it.

    * 18 digits (last may be X) → exact ID; 15 digits → exact ID upgraded to 18; 3 letters
      + 12 digits (a foreigner's card of 2017) → exact ID. The checksum is not validated: a
      mistyped number simply finds nothing (:func:`complete_id_error` says why).
    * 12–17 digits → leading part of an ID number.
    * 4–6 characters, digits with an optional final X → ID tail; if all digits, phone tail too.
    * 7–11 digits → phone tail and phone leading digits (11 digits: the whole phone).
    * 1–3 digits → nothing (would match thousands of people): ``reason="too_short"``.
    * Any Chinese character → name-key prefix (dots and spaces removed).
    * Letters → lower-case pinyin / Latin-name prefix (full pinyin and initials are both keys).
    """
    norm = _SEPARATORS_RE.sub("", unicodedata.normalize("NFKC", text))
    norm = _DOT_RE.sub("", norm)
    if not norm:
        return QueryPlan(text="", reason="empty")

    if re.fullmatch(r"\d+[xX]?", norm):
        digits = norm.upper()
        n = len(digits)
        all_digits = digits.isdigit()
        if n == 18 or (n == 15 and all_digits):
            # A 15-digit number was issued to someone born 19xx: stored upgraded to 18.
            exact = digits if n == 18 else _upgrade_15(digits)
            return QueryPlan(text=digits, id_exact=exact)
        if 12 <= n <= 17:
            return QueryPlan(text=digits, id_prefix=digits)
        if 4 <= n <= 6:
            tail = reversed_key(digits)
            return QueryPlan(
                text=digits,
                id_reversed_prefix=tail,
                phone_reversed_prefix=tail if all_digits else None,
            )
        if 7 <= n <= 11 and all_digits:
            return QueryPlan(
                text=digits, phone_reversed_prefix=reversed_key(digits), phone_prefix=digits
            )
        if n <= 3:
            return QueryPlan(text=digits, reason="too_short")
        # More than 18 digits, or an X where no ID has one: nothing can match.
        return QueryPlan(text=digits, reason="no_match_possible")

    if _FOREIGN_2017_RE.fullmatch(norm):
        return QueryPlan(text=norm.upper(), id_exact=norm.upper())
    if any(_is_cjk(ch) for ch in norm):
        return QueryPlan(text=norm, name_key_prefix=norm.lower())
    return QueryPlan(text=norm.lower(), name_key_prefix=norm.lower())


def complete_id_error(text: str) -> InvalidIdNumber | None:
    """Why a search for a complete ID number can find nobody: the number cannot exist (a wrong
    check character, no such birth date, no such province…). None for anything else."""
    if query_plan(text).id_exact is None:
        return None
    try:
        parse_id_number(text)
    except InvalidIdNumber as error:
        return error
    return None
