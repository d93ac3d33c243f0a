"""Pages come out at the paper size asked for, with the letterhead and a scannable QR."""

from __future__ import annotations

import datetime as dt

import pytest

from nidaan.printing import (
    A4,
    A5,
    THERMAL_80,
    Document,
    HeadLine,
    Letterhead,
    PageSize,
    draw_letterhead,
    label,
    page_size,
    pick,
)
from tests.printing.conftest import pdf_info, pdf_text, squeeze

HEAD = Letterhead(
    name_en="Sharma Clinic",
    name_hi="शर्मा क्लिनिक",
    address="12 Hazratganj, Lucknow – 226001",
    phone="0522 400 1234",
    timings="9–1, 5–8",
)


@pytest.mark.parametrize(
    ("page", "points"),
    [(A4, "595.28 x 841.89"), (A5, "419.53 x 595.28"), (THERMAL_80, "226.77 x 841.89")],
)
def test_page_is_the_size_asked_for(page: PageSize, points: str) -> None:
    info = pdf_info(Document(page).to_bytes())
    assert info["Page size"].startswith(points)


def test_page_size_names_are_case_insensitive_and_unknown_ones_refused() -> None:
    assert page_size("a5") is A5
    assert page_size(" 80MM ") is THERMAL_80
    with pytest.raises(ValueError, match="A4, A5"):
        page_size("letter")


@pytest.mark.parametrize("page", [A4, A5, THERMAL_80])
def test_bilingual_letterhead_prints_both_names_address_phone_and_beside_block(
    page: PageSize,
) -> None:
    doc = Document(page)
    draw_letterhead(doc, HEAD, "both", [HeadLine("Dr. Anil Sharma", bold=True)])
    text = squeeze(pdf_text(doc.to_bytes()))
    for expected in (
        "Sharma Clinic",
        "शर्मा क्लिनिक",
        "Hazratganj",
        "0522 400 1234",
        "Dr. Anil Sharma",
    ):
        assert squeeze(expected) in text
    assert squeeze("Phone / फ़ोन") in text


def test_english_letterhead_has_no_hindi_and_hindi_one_has_no_english_name() -> None:
    english = Document(A5)
    draw_letterhead(english, HEAD, "en")
    text = pdf_text(english.to_bytes())
    assert "Sharma Clinic" in text
    assert "शर्मा" not in text
    hindi = Document(A5)
    draw_letterhead(hindi, HEAD, "hi")
    text = squeeze(pdf_text(hindi.to_bytes()))
    assert "शर्मा" in text
    assert "SharmaClinic" not in text


def test_labels_and_values_in_the_language_asked_for() -> None:
    assert label("Phone", "en") == "Phone"
    assert label("Phone", "hi") == "फ़ोन"
    assert label("Phone", "both") == "Phone / फ़ोन"
    assert pick("Sharma Clinic", "", "hi") == "Sharma Clinic"
    assert pick("Sharma Clinic", "शर्मा क्लिनिक", "both") == "Sharma Clinic / शर्मा क्लिनिक"


def test_same_content_and_date_give_the_same_bytes() -> None:
    when = dt.datetime(2026, 11, 27, 10, 0, tzinfo=dt.UTC)

    def render() -> bytes:
        doc = Document(A5, created_at=when)
        draw_letterhead(doc, HEAD, "both")
        doc.qr("https://hub.example/v/ABCD2345", x=20, y=100, size_mm=25)
        return doc.to_bytes()

    assert render() == render()


def test_qr_code_is_drawn_as_filled_squares() -> None:
    doc = Document(A5)
    doc.qr("https://hub.example/v/ABCD2345", x=20, y=100, size_mm=25)
    pdf = doc.to_bytes()
    # Vector squares: no image is embedded, and the page carries filled rectangles.
    assert b"/Subtype /Image" not in pdf
    assert pdf_info(pdf)["Pages"] == "1"
