"""The font chain: found on the system, checked per character, embedded as subsets."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from caseworker.printing.enrolment_form import build_enrolment_form
from caseworker.printing.fonts import FontChain, NoFontError, describe_missing, load_chain
from tests.printing import samples
from tests.printing.conftest import NO_FONT, OUTSIDE_BMP, compact, pdffonts, pdftotext


def test_system_chain_has_a_cjk_font_first(chain: FontChain):
    assert chain.faces, chain.skipped
    assert chain.face_for("参") is chain.primary
    assert chain.missing("参保登记表 买买提·艾力 ¥400.00") == []


def test_a_character_outside_the_bmp_falls_back_to_the_font_that_has_it(chain, tmp_path):
    face = chain.face_for(OUTSIDE_BMP)
    if face is None:
        pytest.skip(f"no installed font has {OUTSIDE_BMP} (install fonts-arphic-uming)")
    assert face is not chain.primary  # the Hei fonts lack it: per-character fallback
    name = f"王{OUTSIDE_BMP}明"
    result = build_enrolment_form(samples.enrolment_form(name=name), chain)
    assert result.missing == ()
    # Read back through the ToUnicode map: the surrogate-pair fix makes it searchable.
    assert name in pdftotext(result.pdf, tmp_path)
    assert name in PdfReader(io.BytesIO(result.pdf)).pages[0].extract_text()
    fonts = pdffonts(result.pdf, tmp_path)
    assert len(fonts) >= 2
    assert all(row[-5] == "yes" and row[-4] == "yes" for row in fonts), fonts  # emb, sub
    assert len({row[0].split("+", 1)[1] for row in fonts}) >= 2  # the fallback is embedded too


def test_an_extension_e_name_character_prints_from_hanamin(chain, tmp_path):
    # 𬱖 (U+2CC56) is in a demo name and in no Hei or Ming font: fonts-hanazono carries it.
    face = chain.face_for("𬱖")
    assert face is not None, chain.skipped
    assert "HanaMin" in face.family
    result = build_enrolment_form(samples.enrolment_form(name="王紫𬱖"), chain)
    assert result.missing == ()
    assert "王紫𬱖" in pdftotext(result.pdf, tmp_path)


def test_a_character_no_font_has_is_reported_and_marked_not_boxed(chain, tmp_path):
    if not chain.missing(NO_FONT):
        pytest.skip(f"an installed font has {NO_FONT}; this system needs no warning for it")
    result = build_enrolment_form(samples.enrolment_form(name=f"{NO_FONT}祥"), chain)
    assert result.missing == (NO_FONT,)
    text = compact(pdftotext(result.pdf, tmp_path))
    assert "[U+30EDE]祥" in text  # a visible marker where the character belongs
    assert describe_missing(result.missing) == "“𰻞”(U+30EDE)"


def test_invisible_format_characters_are_dropped_not_reported(chain):
    assert chain.missing("张\u200b三\ufe00") == []
    drawn = "".join(piece for _, piece, _ in chain.runs("张\u200b三\ufe00\U000e0100"))
    assert "[U+" not in drawn and drawn.startswith("张") and "三" in drawn


def test_an_administrators_font_comes_first(chain):
    uming = next((f for f in chain.faces if "UMing" in f.family), None)
    if uming is None:
        pytest.skip("AR PL UMing is not installed")
    chosen = load_chain(f"{uming.source.path}#{uming.source.index}")
    assert chosen.primary.family == uming.family
    assert len(chosen.faces) == len(chain.faces)  # the system fonts still follow


def test_no_usable_font_is_a_clear_error(tmp_path: Path):
    fake = tmp_path / "not-a-font.ttf"
    fake.write_bytes(b"this is not a font")
    with pytest.raises(NoFontError) as caught:
        load_chain(str(fake), system=False)
    assert "中文 TrueType 字体" in caught.value.message
    assert any("not-a-font.ttf" in reason for reason in caught.value.tried)
    with pytest.raises(NoFontError):
        load_chain(str(tmp_path / "absent.ttc"), system=False)
