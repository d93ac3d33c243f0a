"""Printing: PDFs in Hindi, English or both, with shaped Devanagari and shipped fonts.

The stable surface other apps use:

* `Document(page=A4|A5|THERMAL_80|PageSize(...), created_at=...)` — an fpdf2 `FPDF` with
  fonts, HarfBuzz shaping and margins set and one page added; `paragraph`, `rule`,
  `use_font`, `line_height`, `content_width`, `qr`, `to_bytes`.
* `page_size("A5")`, `PAGE_SIZES`, `Language` (`"en" | "hi" | "both"`), `LANGUAGES`.
* `Letterhead` (`.from_facility(facility)`), `HeadLine`, `draw_letterhead(doc, head, lang, beside)`.
* `label(msgid, lang)` and `pick(english, hindi, lang)` for bilingual text;
  `in_language(msgid, "hi")`.
* `draw_qr(pdf, data, x=, y=, size_mm=)`.
* `fonts.licence_texts()` — the OFL texts of the shipped fonts.
"""

from __future__ import annotations

from nidaan.printing.document import (
    A4,
    A5,
    LANGUAGES,
    PAGE_SIZES,
    THERMAL_58,
    THERMAL_80,
    Document,
    Language,
    PageSize,
    draw_qr,
    page_size,
)
from nidaan.printing.labels import in_language, label, pick
from nidaan.printing.letterhead import HeadLine, Letterhead, draw_letterhead

__all__ = [
    "A4",
    "A5",
    "LANGUAGES",
    "PAGE_SIZES",
    "THERMAL_58",
    "THERMAL_80",
    "Document",
    "HeadLine",
    "Language",
    "Letterhead",
    "PageSize",
    "draw_letterhead",
    "draw_qr",
    "in_language",
    "label",
    "page_size",
    "pick",
]
