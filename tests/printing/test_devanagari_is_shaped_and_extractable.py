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


def test_only_text_with_a_right_to_left_letter_goes_through_the_bidi_algorithm(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import fpdf.fpdf

    calls: list[str] = []
    real = fpdf.fpdf.BidiParagraph  # type: ignore[attr-defined]

    def counting(*args: object, **kwargs: object) -> object:
        calls.append(str(kwargs.get("text")))
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(fpdf.fpdf, "BidiParagraph", counting)
    doc = Document(A5)
    doc.paragraph("Patient: Ramesh Kumar")
    doc.paragraph("मरीज़: रमेश कुमार")
    assert calls == []
    doc.paragraph("Father: رفیق")  # noqa: RUF001 - an Urdu name on purpose
    assert calls == ["Father: رفیق"]  # noqa: RUF001
    text = pdf_text(doc.to_bytes())
    assert "Patient: Ramesh Kumar" in text
    assert squeeze("मरीज़: रमेश कुमार") in squeeze(text)


def test_a_bilingual_label_starting_in_english_shapes_its_hindi_too() -> None:
    # HarfBuzz guesses a run's script from its first letter: "Description / विवरण" was
    # once shaped as Latin, the ि drawn after its consonant (read back as "ववरिण").
    doc = Document(A5)
    doc.paragraph("Description / विवरण · Bill to / बिल")
    text = squeeze(pdf_text(doc.to_bytes()))
    assert "Description/विवरण" in text
    assert "ववरिण" not in text
    assert "Billto/बिल" in text
