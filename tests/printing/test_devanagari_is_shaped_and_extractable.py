"""Devanagari on a printed page is shaped (conjuncts, matras, reph) and reads back as typed."""

from __future__ import annotations

import pytest
import uharfbuzz as hb

from nidaan.printing import A5, Document, fonts
from tests.printing.conftest import pdf_text, squeeze

# Conjuncts (क्ष, त्र, स्क्र), a reph (र्म), pre-base ि, nukta (फ़), anusvara, ₹.
HINDI = "श्री क्षत्रिय धर्म प्रिस्क्रिप्शन: खाने के बाद, दिन में दो बार — फ़ीस ₹200"


def test_extracted_text_is_the_hindi_typed() -> None:
    doc = Document(A5)
    doc.paragraph(HINDI)
    text = pdf_text(doc.to_bytes())
    assert squeeze(HINDI) in squeeze(text)


def test_conjuncts_are_single_glyphs_not_halant_sequences() -> None:
    # HarfBuzz turns क + ् + ष into one क्ष glyph and moves ि before its consonant; an
    # engine without shaping draws the characters side by side with a visible virama.
    font = next(f for f in fonts.instances() if f.family == fonts.DEVANAGARI and not f.style)
    face = hb.Font(hb.Face(hb.Blob.from_file_path(font.shaping_file)))
    for text, glyph_count in (("क्ष", 1), ("त्र", 1), ("र्म", 2)):
        buf = hb.Buffer()
        buf.add_str(text)
        buf.guess_segment_properties()
        hb.shape(face, buf, {})
        assert len(buf.glyph_infos) == glyph_count, text
    doc = Document(A5)
    assert doc.get_string_width("क्ष") < doc.get_string_width("क") + doc.get_string_width("ष")


def test_latin_symbols_missing_from_the_devanagari_font_fall_back_to_noto_sans() -> None:
    doc = Document(A5)
    doc.paragraph("Dose ± 5 µg, ½ tab, 2³")
    assert "± 5 µg, ½ tab, 2³" in pdf_text(doc.to_bytes())


@pytest.mark.parametrize("bold", [False, True])
def test_only_fonts_used_are_embedded(bold: bool) -> None:
    doc = Document(A5)
    doc.paragraph("केवल हिंदी", bold=bold)
    pdf = doc.to_bytes()
    assert pdf.count(b"/FontFile2") == 1
    assert b"/BaseFont /MPDFAA+NotoSans\n" not in pdf
