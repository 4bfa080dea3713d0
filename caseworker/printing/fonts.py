"""CJK TrueType fonts for printed forms: find them, check every string, fall back per character.

reportlab embeds TrueType outlines only (not CFF/OTF such as Noto CJK), so the chain is made
of .ttf/.ttc files: an administrator-set path first, then the usual Windows and Linux fonts.
Each character is drawn with the first font in the chain whose character map has it; a
character no font has is *reported* (``FontChain.missing``) so the operator is told before
anything is printed, and it is drawn as a visible ``[U+XXXX]`` marker, never a silent box.
"""

from __future__ import annotations

import os
import sys
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

from fontTools.ttLib import TTFont as ToolsFont
from fontTools.ttLib import TTLibError
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFError, TTFont

__all__ = [
    "FontChain",
    "FontFace",
    "FontSource",
    "NoFontError",
    "default_sources",
    "describe_missing",
    "load_chain",
]


class NoFontError(Exception):
    """No usable CJK font at all: nothing Chinese can be printed."""

    def __init__(self, tried: Sequence[str]) -> None:
        self.tried = list(tried)
        self.message = (
            "找不到可用的中文 TrueType 字体，无法打印。请安装文泉驿正黑（fonts-wqy-zenhei）"
            "或由管理员在设置中指定字体文件（.ttf/.ttc）。"
        )
        self.message_en = (
            "No usable Chinese TrueType font: install WenQuanYi Zen Hei (fonts-wqy-zenhei) or "
            "have an administrator set a font file (.ttf/.ttc). Tried: " + "; ".join(tried)
        )
        super().__init__(self.message_en)


@dataclass(frozen=True)
class FontSource:
    """A font file and, for a collection (.ttc), which font in it."""

    path: Path
    index: int = 0
    label: str = ""

    @classmethod
    def parse(cls, text: str) -> FontSource:
        """``/path/font.ttc`` or ``/path/font.ttc#2`` (an administrator's setting)."""
        path, _, index = text.strip().partition("#")
        return cls(Path(path).expanduser(), int(index) if index.isdigit() else 0, "管理员指定")


def default_sources() -> list[FontSource]:
    """Fonts looked for on this system, in order of preference."""
    windows = Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"
    linux = Path("/usr/share/fonts")
    return [
        FontSource(windows / "simsun.ttc", 0, "SimSun 宋体"),
        FontSource(windows / "msyh.ttc", 0, "Microsoft YaHei 微软雅黑"),
        FontSource(windows / "simsunb.ttf", 0, "SimSun-ExtB"),
        FontSource(linux / "truetype/wqy/wqy-zenhei.ttc", 0, "WenQuanYi Zen Hei"),
        FontSource(linux / "wenquanyi/wqy-zenhei/wqy-zenhei.ttc", 0, "WenQuanYi Zen Hei"),
        FontSource(linux / "truetype/wqy/wqy-microhei.ttc", 0, "WenQuanYi Micro Hei"),
        FontSource(linux / "wenquanyi/wqy-microhei/wqy-microhei.ttc", 0, "WenQuanYi Micro Hei"),
        # UMing carries some 1,800 Extension B characters the Hei fonts lack.
        FontSource(linux / "truetype/arphic/uming.ttc", 0, "AR PL UMing"),
        # HanaMin (fonts-hanazono) covers Extensions A-F: the rarest characters in names.
        FontSource(linux / "truetype/hanazono/HanaMinA.ttf", 0, "HanaMinA 花园明朝A"),
        FontSource(linux / "truetype/hanazono/HanaMinB.ttf", 0, "HanaMinB 花园明朝B"),
        *bundled_sources(),
    ]


def bundled_sources() -> list[FontSource]:
    """Fonts shipped inside the frozen app (installer/build.py: those whose licences allow
    it), last: the system's own fonts come first where they exist. Their file names are
    numbered in the order they are tried (1-wqy-microhei.ttc, 2-HanaMinB.ttf)."""
    if not getattr(sys, "frozen", False):
        return []
    folder = Path(getattr(sys, "_MEIPASS", Path(sys.executable).parent)) / "fonts"
    files = sorted(folder.glob("*.tt[fc]")) if folder.is_dir() else []
    return [FontSource(path, 0, f"{path.stem}（随程序附带）") for path in files]


@dataclass
class FontFace:
    """One font of the chain: its character map and, once needed, its reportlab font."""

    source: FontSource
    name: str  # the name registered with reportlab
    family: str
    codepoints: frozenset[int]
    _registered: bool = field(default=False, repr=False)

    def register(self) -> str:
        if not self._registered:
            pdfmetrics.registerFont(
                TTFont(self.name, str(self.source.path), subfontIndex=self.source.index)
            )
            self._registered = True
        return self.name


# Invisible format characters (zero-width space, joiners) and variation selectors: fonts
# rarely map them and they draw nothing, so they are dropped rather than reported.
def _invisible(ch: str) -> bool:
    code = ord(ch)
    return (
        unicodedata.category(ch) == "Cf"
        or 0xFE00 <= code <= 0xFE0F
        or 0xE0100 <= code <= 0xE01EF
        or ch in "\r\n\t"
    )


class FontChain:
    """Fonts in order of preference; each character goes to the first that has it."""

    def __init__(self, faces: Sequence[FontFace], skipped: Sequence[str] = ()) -> None:
        if not faces:
            raise NoFontError(list(skipped))
        self.faces = tuple(faces)
        self.skipped = tuple(skipped)
        self.primary = self.faces[0]
        self.primary.register()
        # One lookup table for every character any face has: first face wins.
        self._face_of: dict[int, FontFace] = {}
        for face in reversed(self.faces):
            self._face_of.update(dict.fromkeys(face.codepoints, face))

    def face_for(self, ch: str) -> FontFace | None:
        """The first face of the chain that has ``ch`` (None: none has it)."""
        return self._face_of.get(ord(ch))

    def missing(self, text: str) -> list[str]:
        """Characters of ``text`` no font of the chain has, in order, each once."""
        return list(self._missing(text))

    @lru_cache(maxsize=8192)  # noqa: B019 - asked for every string drawn; strings repeat
    def _missing(self, text: str) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for ch in text:
            if self.face_for(ch) is None and not _invisible(ch):
                seen.setdefault(ch)
        return tuple(seen)

    @lru_cache(maxsize=8192)  # noqa: B019 - one chain per process; strings repeat a lot
    def runs(self, text: str) -> tuple[tuple[str, str, bool], ...]:
        """``text`` as (font name, text, is_missing_marker) runs, ready to draw."""
        out: list[list] = []
        for ch in text:
            face = self.face_for(ch)
            if face is None:
                if _invisible(ch):
                    continue
                piece, name, marker = f"[U+{ord(ch):04X}]", self.primary.name, True
            else:
                piece, name, marker = ch, face.register(), False
            if out and out[-1][0] == name and out[-1][2] == marker:
                out[-1][1] += piece
            else:
                out.append([name, piece, marker])
        return tuple((name, piece, marker) for name, piece, marker in out)

    @lru_cache(maxsize=16384)  # noqa: B019
    def unit_width(self, text: str) -> float:
        """Width of ``text`` at 1 pt; multiply by the font size."""
        return sum(pdfmetrics.stringWidth(piece, name, 1.0) for name, piece, _ in self.runs(text))

    def describe(self) -> list[str]:
        return [f"{face.family} ({face.source.path}#{face.source.index})" for face in self.faces]


def describe_missing(characters: Iterable[str]) -> str:
    """``“𠮷”(U+20BB7)、“𪚥”(U+2A6A5)`` for messages to the operator."""
    return "、".join(f"“{ch}”(U+{ord(ch):04X})" for ch in characters)


def _read_face(source: FontSource, number: int) -> FontFace:
    path = source.path
    font = ToolsFont(str(path), fontNumber=source.index, lazy=True)
    try:
        if "glyf" not in font:
            raise TTLibError("CFF outlines (OpenType/PS) cannot be embedded by reportlab")
        if font["OS/2"].fsType & 0x000F == 0x0002:
            raise TTLibError("the font's licence forbids embedding")
        family = font["name"].getDebugName(4) or source.label or path.stem
        codepoints = frozenset(font.getBestCmap() or {})
    finally:
        font.close()
    safe = "".join(ch for ch in family if ch.isascii() and ch.isalnum()) or f"Font{number}"
    return FontFace(source, f"CW{number}-{safe}", family, codepoints)


@cache
def _load(sources: tuple[FontSource, ...]) -> FontChain:
    faces: list[FontFace] = []
    skipped: list[str] = []
    seen: set[tuple[Path, int]] = set()
    families: set[str] = set()
    for source in sources:
        key = (source.path.resolve() if source.path.exists() else source.path, source.index)
        if key in seen:
            continue
        seen.add(key)
        if not source.path.is_file():
            skipped.append(f"{source.path}: not found")
            continue
        try:
            face = _read_face(source, len(faces))
        except (OSError, TTLibError, TTFError, KeyError, AssertionError) as error:
            skipped.append(f"{source.path}#{source.index}: {error}")
            continue
        if face.family in families:  # the same font installed twice
            continue
        families.add(face.family)
        faces.append(face)
    return FontChain(faces, skipped)


def load_chain(admin_path: str | None = None, *, system: bool = True) -> FontChain:
    """The administrator's font (if set) then the system's CJK fonts; loaded once per process."""
    sources: list[FontSource] = []
    if admin_path:
        sources.append(FontSource.parse(admin_path))
    if system:
        sources.extend(default_sources())
    return _load(tuple(sources))


def _to_unicode_cmap(fontname: str, subset: Sequence[int]) -> str:
    """reportlab's ToUnicode map writes code points above U+FFFF as 5-digit hex, which PDF
    readers reject, so text outside the BMP (𠀾) could not be copied or searched. PDF wants
    UTF-16BE there: a surrogate pair."""
    body = [f"<{i:02X}> <{chr(v).encode('utf-16-be').hex().upper()}>" for i, v in enumerate(subset)]
    return "\n".join(
        [
            "/CIDInit /ProcSet findresource begin",
            "12 dict begin",
            "begincmap",
            "/CIDSystemInfo",
            f"<< /Registry ({fontname})",
            f"/Ordering ({fontname})",
            "/Supplement 0",
            ">> def",
            f"/CMapName /{fontname} def",
            "/CMapType 2 def",
            "1 begincodespacerange",
            f"<00> <{len(subset) - 1:02X}>",
            "endcodespacerange",
            f"{len(subset)} beginbfchar",
            *body,
            "endbfchar",
            "endcmap",
            "CMapName currentdict /CMap defineresource pop",
            "end",
            "end",
        ]
    )


ttfonts.makeToUnicodeCMap = _to_unicode_cmap
