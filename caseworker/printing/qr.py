"""QR codes for printed papers: byte mode, error correction level M, versions 1–10.

A day's batch draws a thousand QR codes, and reportlab's pure-Python encoder took ~9 ms each
(1,000 receipts: 9.5 s, against 0.5 s for the same pages without them). Most of that, in
reportlab and in segno alike, is choosing the mask: eight masks, each applied and scored
module by module. Here each matrix row is one Python int, so masking is one XOR per row, and
the penalty rules (ISO/IEC 18004:2015 7.8.3, scored as segno scores them, so the chosen mask
is the one segno chooses) run on the whole matrix at once: its rows packed into one int and
its columns into another, a rule a handful of shifts and ANDs over all lines (a code in a
quarter of the time scoring line by line took). What depends only on the version — the function patterns, the
data positions, the eight masks, rows and columns packed — is built once and kept.

Payloads longer than version 10 holds (213 bytes) go to reportlab's encoder as before; the
papers' payloads are under 100 bytes. Tests compare the matrices with python-qrcode's and the
penalty with segno's, and read the drawn modules back from a rendered PDF.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress

from reportlab.graphics.barcode import qrencoder

# Level M, versions 1–10: (error correction codewords per block, [(blocks, data codewords)]).
_BLOCKS: dict[int, tuple[int, tuple[tuple[int, int], ...]]] = {
    1: (10, ((1, 16),)),
    2: (16, ((1, 28),)),
    3: (26, ((1, 44),)),
    4: (18, ((2, 32),)),
    5: (24, ((2, 43),)),
    6: (16, ((4, 27),)),
    7: (18, ((4, 31),)),
    8: (22, ((2, 38), (2, 39))),
    9: (22, ((3, 36), (2, 37))),
    10: (26, ((4, 43), (1, 44))),
}
_ALIGNMENT: dict[int, tuple[int, ...]] = {
    2: (6, 18),
    3: (6, 22),
    4: (6, 26),
    5: (6, 30),
    6: (6, 34),
    7: (6, 22, 38),
    8: (6, 24, 42),
    9: (6, 26, 46),
    10: (6, 28, 50),
}
_MASKS = (
    lambda i, j: (i + j) % 2 == 0,
    lambda i, j: i % 2 == 0,
    lambda i, j: j % 3 == 0,
    lambda i, j: (i + j) % 3 == 0,
    lambda i, j: (i // 2 + j // 3) % 2 == 0,
    lambda i, j: (i * j) % 2 + (i * j) % 3 == 0,
    lambda i, j: ((i * j) % 2 + (i * j) % 3) % 2 == 0,
    lambda i, j: ((i + j) % 2 + (i * j) % 3) % 2 == 0,
)
_LEVEL_M = 0b00  # the format information's bits for level M
_DARK = re.compile("1+")
_BITS = bytes.maketrans(b"01", b"\x00\x01")
_FINDER_LIKE = "1011101"

# GF(256) with the QR polynomial x^8 + x^4 + x^3 + x^2 + 1.
_EXP = [0] * 512
_LOG = [0] * 256
_value = 1
for _power in range(255):
    _EXP[_power] = _value
    _LOG[_value] = _power
    _value <<= 1
    if _value & 0x100:
        _value ^= 0x11D
for _power in range(255, 512):
    _EXP[_power] = _EXP[_power - 255]


@dataclass(frozen=True)
class QrMatrix:
    """The modules without the quiet zone: one int per row, row 0 at the top, its highest
    bit the leftmost module, a set bit dark."""

    version: int
    mask: int
    size: int
    rows: tuple[int, ...]

    def lines(self) -> list[str]:
        """Each row as "0"/"1" characters, left to right."""
        return [format(row, f"0{self.size}b") for row in self.rows]

    def is_dark(self, row: int, column: int) -> bool:
        return bool(self.rows[row] >> (self.size - 1 - column) & 1)


def encode(text: str, mask: int | None = None) -> QrMatrix:
    """The level-M QR code of ``text`` (UTF-8 bytes, byte mode), its mask the one with the
    lowest penalty (or ``mask``, for tests that compare with other encoders)."""
    data = text.encode("utf-8")
    version = next((v for v in _BLOCKS if len(data) <= _byte_capacity(v)), None)
    if version is None:
        return _reportlab(text, mask)
    layout = _layout(version)
    n = layout.size
    rows = _place(layout, _codewords(data, version))
    if mask is None:
        # Masking is a XOR, so each mask is scored on the packed rows and columns XOR the
        # mask's packed rows and columns: one transposition a code, not one a mask.
        packed_rows, packed_columns = _pack(rows, n), _pack(_transpose(rows, n), n)
        scores = [
            _packed_penalty(packed_rows ^ mask_rows, packed_columns ^ mask_columns, n)
            for mask_rows, mask_columns in layout.packed_masks
        ]
        mask = scores.index(min(scores))  # the first of equal scores
    masked = [row ^ m for row, m in zip(rows, layout.masks[mask], strict=True)]
    return QrMatrix(version, mask, n, tuple(_with_format(masked, layout, mask)))


def dark_runs(matrix: QrMatrix) -> list[tuple[int, int, int]]:
    """(row, first column, length) of each horizontal run of dark modules: what a drawing
    fills as one rectangle."""
    runs = []
    for r, line in enumerate(matrix.lines()):
        runs.extend((r, m.start(), m.end() - m.start()) for m in _DARK.finditer(line))
    return runs


def _reportlab_default(text: str) -> QrMatrix:
    """reportlab's encoder for any payload (what the papers used before; for bench/)."""
    return _reportlab(text, None)


def _reportlab(text: str, mask: int | None) -> QrMatrix:
    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    code.addData(text)
    code.version = code.calculate_version()
    if mask is None:
        mask = code.getBestMaskPattern()
    code.makeImpl(False, mask)
    n = code.getModuleCount()
    rows = tuple(sum(1 << (n - 1 - j) for j in range(n) if code.isDark(i, j)) for i in range(n))
    return QrMatrix(code.version, mask, n, rows)


def _byte_capacity(version: int) -> int:
    _ec, groups = _BLOCKS[version]
    data_bits = 8 * sum(blocks * words for blocks, words in groups)
    count_bits = 8 if version < 10 else 16
    return (data_bits - 4 - count_bits) // 8


def _codewords(data: bytes, version: int) -> list[int]:
    """Mode, count, data, terminator and padding, split into blocks with their Reed–Solomon
    codewords, interleaved as ISO/IEC 18004 7.6 lays them out."""
    ec_words, groups = _BLOCKS[version]
    capacity = sum(blocks * words for blocks, words in groups)
    count_bits = 8 if version < 10 else 16
    bits = (0b0100 << count_bits | len(data)) << 8 * len(data) | int.from_bytes(data, "big")
    length = 4 + count_bits + 8 * len(data)
    terminator = min(4, 8 * capacity - length)
    bits <<= terminator
    length += terminator
    pad = -length % 8
    bits <<= pad
    length += pad
    stream = list(bits.to_bytes(length // 8, "big"))
    stream += [0xEC, 0x11] * ((capacity - len(stream)) // 2 + 1)
    stream = stream[:capacity]
    blocks, at = [], 0
    for count, words in groups:
        for _ in range(count):
            blocks.append(stream[at : at + words])
            at += words
    table = _generator(ec_words)
    corrections = [_remainder(block, table, ec_words) for block in blocks]
    out = [b[i] for i in range(max(map(len, blocks))) for b in blocks if i < len(b)]
    out += [c[i] for i in range(ec_words) for c in corrections]
    return out


@lru_cache(maxsize=16)
def _generator(degree: int) -> tuple[int, ...]:
    """For each factor 0–255, the generator polynomial (without its leading 1) times that
    factor, its ``degree`` coefficients packed into one int: a division step is a shift and
    one XOR."""
    poly = [1]
    for power in range(degree):
        nxt = [0] * (len(poly) + 1)
        for i, coefficient in enumerate(poly):
            nxt[i] ^= coefficient
            if coefficient:
                nxt[i + 1] ^= _EXP[_LOG[coefficient] + power]
        poly = nxt
    logs = [_LOG[g] if g else None for g in poly[1:]]
    table = [0]
    for factor in range(1, 256):
        shift = _LOG[factor]
        products = bytes(0 if log is None else _EXP[log + shift] for log in logs)
        table.append(int.from_bytes(products, "big"))
    return tuple(table)


def _remainder(block: list[int], table: tuple[int, ...], degree: int) -> list[int]:
    """The block's ``degree`` error correction codewords (the remainder of the division by
    the generator polynomial), the remainder held as one int."""
    full = (1 << 8 * degree) - 1
    top = 8 * (degree - 1)
    rest = 0
    for word in block:
        rest = ((rest << 8) & full) ^ table[word ^ (rest >> top)]
    return list(rest.to_bytes(degree, "big"))


@dataclass(frozen=True)
class _Layout:
    size: int
    base: tuple[int, ...]  # function patterns (format and version areas still light)
    positions: tuple[tuple[int, int], ...]  # data module (row, bit) in placement order
    masks: tuple[tuple[int, ...], ...]  # per mask, per row: the data modules it darkens
    packed_masks: tuple[tuple[int, int], ...]  # per mask, its rows and its columns packed
    version_bits: tuple[tuple[int, int, bool], ...]  # (row, column, dark) of version info


@lru_cache(maxsize=10)
def _layout(version: int) -> _Layout:
    """Everything that depends on the version only: built once per version."""
    n = 17 + 4 * version
    dark = [[False] * n for _ in range(n)]
    function = [[False] * n for _ in range(n)]

    def put(i: int, j: int, is_dark: bool) -> None:
        dark[i][j] = is_dark
        function[i][j] = True

    for top, left in ((0, 0), (0, n - 7), (n - 7, 0)):
        for di in range(-1, 8):
            for dj in range(-1, 8):
                i, j = top + di, left + dj
                if 0 <= i < n and 0 <= j < n:
                    ring = max(abs(di - 3), abs(dj - 3))
                    put(i, j, ring in (0, 1, 3))
    for k in range(8, n - 8):
        put(6, k, k % 2 == 0)
        put(k, 6, k % 2 == 0)
    centres = _ALIGNMENT.get(version, ())
    corners = {(6, 6), (6, n - 7), (n - 7, 6)}
    for ci in centres:
        for cj in centres:
            if (ci, cj) in corners:
                continue  # where a finder pattern is
            for di in range(-2, 3):
                for dj in range(-2, 3):
                    put(ci + di, cj + dj, max(abs(di), abs(dj)) != 1)
    for i, j in _format_cells(n):
        function[i][j] = True
    function[n - 8][8] = True  # the dark module, set with the format information
    version_bits = _version_cells(version, n)
    for i, j, _dark in version_bits:
        function[i][j] = True

    positions = []
    right = n - 1
    while right >= 1:
        if right == 6:
            right = 5
        upward = ((right + 1) & 2) == 0
        for vertical in range(n):
            i = n - 1 - vertical if upward else vertical
            for j in (right, right - 1):
                if not function[i][j]:
                    positions.append((i, 1 << (n - 1 - j)))
        right -= 2
    masks = tuple(
        tuple(
            sum(1 << (n - 1 - j) for j in range(n) if not function[i][j] and rule(i, j))
            for i in range(n)
        )
        for rule in _MASKS
    )
    base = tuple(sum(1 << (n - 1 - j) for j in range(n) if dark[i][j]) for i in range(n))
    packed = tuple((_pack(rows, n), _pack(_transpose(list(rows), n), n)) for rows in masks)
    return _Layout(n, base, tuple(positions), masks, packed, version_bits)


def _format_cells(n: int) -> list[tuple[int, int]]:
    """The 15 format bits' two places, bit 0 first in each (ISO/IEC 18004 7.9.1)."""
    first = [(i, 8) for i in range(6)] + [(7, 8), (8, 8), (8, 7)]
    first += [(8, 14 - bit) for bit in range(9, 15)]
    second = [(8, n - 1 - bit) for bit in range(8)] + [(n - 15 + bit, 8) for bit in range(8, 15)]
    return first + second


def _version_cells(version: int, n: int) -> tuple[tuple[int, int, bool], ...]:
    if version < 7:
        return ()
    rest = version
    for _ in range(12):
        rest = (rest << 1) ^ ((rest >> 11) * 0x1F25)
    bits = version << 12 | rest
    cells = []
    for bit in range(18):
        on = bool(bits >> bit & 1)
        a, b = n - 11 + bit % 3, bit // 3
        cells += [(b, a, on), (a, b, on)]
    return tuple(cells)


def _place(layout: _Layout, codewords: list[int]) -> list[int]:
    rows = list(layout.base)
    total = 8 * len(codewords)
    ones = format(int.from_bytes(bytes(codewords), "big"), f"0{total}b").encode()
    for i, bit in compress(layout.positions, ones.translate(_BITS)):
        rows[i] |= bit
    return rows  # remainder bits stay light


def _with_format(rows: list[int], layout: _Layout, mask: int) -> list[int]:
    n = layout.size
    data = _LEVEL_M << 3 | mask
    rest = data
    for _ in range(10):
        rest = (rest << 1) ^ ((rest >> 9) * 0x537)
    bits = (data << 10 | rest) ^ 0x5412
    out = list(rows)
    cells = _format_cells(n)
    for index, (i, j) in enumerate(cells):
        if bits >> (index % 15) & 1:
            out[i] |= 1 << (n - 1 - j)
    out[n - 8] |= 1 << (n - 1 - 8)
    for i, j, on in layout.version_bits:
        if on:
            out[i] |= 1 << (n - 1 - j)
    return out


def _transpose(rows: Sequence[int], n: int) -> list[int]:
    """The columns of a matrix of row ints, each as an int (its top module highest)."""
    lines = [format(row, f"0{n}b") for row in rows]
    return [int("".join(column), 2) for column in zip(*lines, strict=True)]


# Rows (or columns) packed into one int, each line in its own n + _GUARD bits, the guard
# bits light: the penalty rules then run as a few operations on the whole matrix instead of
# a few per line. The rules look at most four modules past a line's ends (N3's light
# modules), which the guard keeps inside the line's own bits.
_GUARD = 8


def _pack(lines: Sequence[int], n: int) -> int:
    width = n + _GUARD
    packed = 0
    for line in lines:
        packed = packed << width | line
    return packed


@lru_cache(maxsize=10)
def _line_masks(n: int) -> tuple[int, int, int, int]:
    """For packed lines of n modules: (bits k with k + 1 in the same line, bits where a
    7-module pattern may end, the patterns touching a line's ends, every line but the first
    in full: where the line above is compared)."""
    full = (1 << n) - 1
    pairs = _pack([full >> 1] * n, n)
    starts = _pack([(1 << (n - 6)) - 1] * n, n)
    edges = _pack([1 << (n - 7) | 1] * n, n)
    below = _pack([0] + [full] * (n - 1), n)
    return pairs, starts, edges, below


def _penalty(rows: list[int], n: int) -> int:
    """N1 + N2 + N3 + N4 of a masked matrix before its format and version information, as
    segno scores it (its N3 reads the edge of the symbol as light)."""
    return _packed_penalty(_pack(rows, n), _pack(_transpose(rows, n), n), n)


def _packed_penalty(rows: int, columns: int, n: int) -> int:
    """``_penalty`` of the packed rows and the same matrix's packed columns."""
    pairs, starts, edges, below = _line_masks(n)
    width, full = n + _GUARD, (1 << n) - 1
    score = 0
    for bits in (rows, columns):
        # N1: a run of L ≥ 5 alike scores L - 2: its L - 4 windows of five, plus 2.
        same = ~(bits ^ (bits >> 1)) & pairs
        five = same & (same >> 1) & (same >> 2) & (same >> 3)
        score += five.bit_count() + 2 * (five & ~(five << 1)).bit_count()
        # N3: 1011101 (a palindrome) ending at bit k, with four light modules (or the
        # line's end) before or after it.
        found = bits & bits >> 2 & bits >> 3 & bits >> 4 & bits >> 6 & ~(bits >> 1 | bits >> 5)
        found &= starts
        if not found:
            continue
        before = bits >> 7 | bits >> 8 | bits >> 9 | bits >> 10
        after = bits << 1 | bits << 2 | bits << 3 | bits << 4
        counted = found & (edges | ~before | ~after)
        score += 40 * counted.bit_count()
        # Finds overlapping (4 or 6 apart) are scored in order, as segno's search finds
        # them: those lines again by the string scan.
        overlapping = found & (found >> 4 | found >> 6)
        while overlapping:
            shift = (overlapping.bit_length() - 1) // width * width
            line, mine = bits >> shift & full, counted >> shift & full
            score += _finder_like(format(line, f"0{n}b"), n) - 40 * mine.bit_count()
            overlapping &= (1 << shift) - 1
    # N2: each 2×2 block alike scores 3 (a line and the one above it, packed one apart).
    same = ~(rows ^ (rows >> width)) & below
    across = ~(rows ^ (rows >> 1)) & pairs
    score += 3 * (same & (same >> 1) & across).bit_count()
    dark = rows.bit_count()
    score += 10 * int(abs(float(dark) / (n * n) * 100 - 50) / 5)
    return score


def _finder_like(line: str, n: int) -> int:
    score = 0
    at = line.find(_FINDER_LIKE)
    while at != -1:
        after = at + 7
        if (
            at in (0, n - 7)
            or "1" not in line[max(at - 4, 0) : at]
            or "1" not in line[after : after + 4]
        ):
            score += 40
        else:
            after = at + 4
        at = line.find(_FINDER_LIKE, after)
    return score
