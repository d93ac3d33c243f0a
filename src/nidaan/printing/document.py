"""An fpdf2 document with shaped Devanagari, page sizes clinics print on, and small helpers.

Every printed thing (prescription, invoice, receipt, visit summary) starts from
`Document(page=A5)`: fonts registered, HarfBuzz shaping on, margins set, one page added.
Units are millimetres.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import segno
from fontTools import ttLib
from fpdf import FPDF
from fpdf.enums import PDFResourceType, TextDirection
from fpdf.fonts import SubsetMap, TTFFont
from fpdf.line_break import Fragment

from nidaan.printing import fonts

# fontTools reports every subsetting step at INFO; the project's logging would print them.
logging.getLogger("fontTools").setLevel(logging.WARNING)

Language = Literal["en", "hi", "both"]
LANGUAGES: tuple[Language, ...] = ("en", "hi", "both")


@dataclass(frozen=True)
class PageSize:
    """A page `width_mm` wide; `height_mm` is the sheet (a roll's length for thermal paper)."""

    name: str
    width_mm: float
    height_mm: float

    @property
    def is_small(self) -> bool:
        """Narrower than A4: headings and body text are set a size smaller."""
        return self.width_mm < 200


A4 = PageSize("A4", 210.0, 297.0)
A5 = PageSize("A5", 148.0, 210.0)
# Thermal receipt printers: 80 mm rolls (72 mm printable), 58 mm rolls.
THERMAL_80 = PageSize("80mm", 80.0, 297.0)
THERMAL_58 = PageSize("58mm", 58.0, 297.0)
PAGE_SIZES: dict[str, PageSize] = {p.name: p for p in (A4, A5, THERMAL_80, THERMAL_58)}


def page_size(name: str) -> PageSize:
    """`"A4"`, `"a5"`, `"80mm"` … → PageSize; ValueError names the sizes there are."""
    for key, size in PAGE_SIZES.items():
        if key.lower() == name.strip().lower():
            return size
    raise ValueError(f"unknown page size {name!r}; choose one of {', '.join(PAGE_SIZES)}")


_PT_TO_MM = 25.4 / 72
# Hebrew, Arabic (Urdu), Syriac, Thaana, NKo …, and the Arabic presentation forms.
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
_local = threading.local()


def _prototype_fonts() -> dict[str, TTFFont]:
    """Fonts parsed once per thread; each document gets light copies (see `_register_fonts`).

    Per thread because fpdf2 sets the HarfBuzz font's size before each shaping call.
    """
    cached: dict[str, TTFFont] | None = getattr(_local, "fonts", None)
    if cached is None:
        holder = FPDF()
        for instance in fonts.instances():
            holder.add_font(instance.family, instance.style, instance.shaping_file)
        for font in holder.fonts.values():
            assert isinstance(font, TTFFont)  # noqa: S101 - add_font only makes TTFFont
            font.hbfont  # noqa: B018 - load the HarfBuzz face now, once
        cached = {key: font for key, font in holder.fonts.items() if isinstance(font, TTFFont)}
        _local.fonts = cached
    return cached


def _metrics_files() -> dict[str, str]:
    return {f"{i.family.lower()}{i.style}": str(i.metrics_file) for i in fonts.instances()}


class Document(FPDF):
    """An fpdf2 page set-up for Nidaan's printouts.

    `created_at` fixes the PDF's creation date (the same record printed twice gives the
    same bytes, which tests and signatures rely on); by default it is now.
    """

    def __init__(
        self,
        page: PageSize = A4,
        *,
        margin_mm: float | None = None,
        title: str = "",
        author: str = "",
        created_at: dt.datetime | None = None,
    ) -> None:
        super().__init__(orientation="P", unit="mm", format=(page.width_mm, page.height_mm))
        self.page_spec = page
        margin = margin_mm if margin_mm is not None else (4.0 if page.width_mm < 100 else 10.0)
        self.set_margins(margin, margin, margin)
        self.set_auto_page_break(True, margin=margin)
        self._register_fonts()
        # HarfBuzz guesses a run's script from its first letter, so a bilingual label
        # such as "Date / दिनांक" would be shaped as Latin and the ि drawn after its
        # consonant. Naming the Devanagari shaper fixes mixed runs and leaves Latin as is.
        self.set_text_shaping(True, script="deva", language="hin")
        self.set_fallback_fonts(list(fonts.FALLBACK_FAMILIES), exact_match=False)
        if title:
            self.set_title(title)
        if author:
            self.set_author(author)
        self.set_creator("Nidaan")
        self.set_creation_date(created_at or dt.datetime.now(dt.UTC))
        self.add_page()
        self.set_font(fonts.MAIN_FAMILY, "", self.body_size)

    def _register_fonts(self) -> None:
        metrics = _metrics_files()
        for key, prototype in _prototype_fonts().items():
            self.fonts[key] = _font_for_document(prototype, len(self.fonts) + 1, metrics[key])

    def _preload_bidirectional_text(self, text: str, markdown: bool) -> Sequence[Fragment]:
        # fpdf2 runs the Unicode bidi algorithm on every string it draws; Hindi and
        # English are left-to-right throughout, so only text with a right-to-left
        # letter (an Urdu name) needs it. A third of a page's drawing time otherwise.
        if not self.text_shaping or _RTL.search(text):
            return super()._preload_bidirectional_text(text, markdown)
        self.text_shaping["paragraph_direction"] = TextDirection.LTR
        self.text_shaping["fragment_direction"] = TextDirection.LTR
        return tuple(self._preload_font_styles(text, markdown))

    # --- sizes -----------------------------------------------------------------------
    @property
    def body_size(self) -> float:
        return 9.0 if self.page_spec.is_small else 10.5

    @property
    def content_width(self) -> float:
        return float(self.w - self.l_margin - self.r_margin)

    # --- text ------------------------------------------------------------------------
    def use_font(self, size: float | None = None, *, bold: bool = False) -> None:
        self.set_font(fonts.MAIN_FAMILY, "B" if bold else "", size or self.body_size)

    def paragraph(
        self,
        text: str,
        *,
        size: float | None = None,
        bold: bool = False,
        align: Literal["L", "C", "R", "J"] = "L",
        width: float = 0,
        line_height: float | None = None,
        x: float | None = None,
    ) -> None:
        """Wrapped text from the left margin (or `x`), leaving the cursor on the next line."""
        self.use_font(size, bold=bold)
        height = line_height or self.line_height(size)
        if x is not None:
            self.set_x(x)
        room = (width or (self.w - self.r_margin - self.get_x())) - 2 * self.c_margin
        # No glyph of these fonts is wider than 1.1 em: short text fits without measuring.
        surely_fits = len(text) * (size or self.body_size) * _PT_TO_MM * 1.1 <= room
        if "\n" not in text and (surely_fits or self.get_string_width(text) <= room):
            # One line: fpdf2's line breaker re-shapes the text once per character,
            # which costs more than everything else on a page; a cell shapes it once.
            self.cell(
                width or room + 2 * self.c_margin,
                height,
                text,
                align=align,
                new_x="LMARGIN",
                new_y="NEXT",
            )
            return
        self.multi_cell(width, height, text, align=align, new_x="LMARGIN", new_y="NEXT")

    def line_height(self, size: float | None = None) -> float:
        # Devanagari needs room above (matras, reph) and below (u/ū signs): 1.45 em.
        return (size or self.body_size) * _PT_TO_MM * 1.45

    def rule(self, *, gap_mm: float = 1.5, width_mm: float = 0.2) -> None:
        """A thin line across the text block, with a little space either side."""
        self.ln(gap_mm)
        self.set_line_width(width_mm)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(gap_mm)

    # --- QR --------------------------------------------------------------------------
    def qr(self, data: str, *, x: float, y: float, size_mm: float, error: str = "m") -> None:
        """A QR code drawn as vector squares (sharp on any printer), quiet zone included."""
        draw_qr(self, data, x=x, y=y, size_mm=size_mm, error=error)

    # --- output ----------------------------------------------------------------------
    def to_bytes(self) -> bytes:
        self._drop_unused_fonts()
        try:
            return bytes(self.output())
        finally:
            # fpdf2 memoises glyph look-ups in unbounded caches keyed by each document's
            # subset map, which would keep every document ever printed alive in a
            # long-running server. Clearing only costs the next document a re-look-up.
            SubsetMap.pick.cache_clear()
            SubsetMap.get_glyph.cache_clear()

    def _drop_unused_fonts(self) -> None:
        # fpdf2 subsets and embeds every registered font, used or not; most pages never
        # need the bold Latin fallback, and each font costs a few milliseconds.
        used: set[object] = set()
        for (_page, kind), ids in self._resource_catalog.resources_per_page.items():
            if kind == PDFResourceType.FONT:
                used |= ids
        for key in [k for k, font in self.fonts.items() if font.i not in used]:
            del self.fonts[key]


def _font_for_document(prototype: TTFFont, index: int, metrics_file: str) -> TTFFont:
    """A per-document copy of a parsed font: shares what fpdf2 only reads (metrics, cmap,
    HarfBuzz face), gets its own subset and a fresh fontTools font to subset in place."""
    font = TTFFont.__new__(TTFFont)
    for slot in TTFFont.__slots__:
        if hasattr(prototype, slot):
            setattr(font, slot, getattr(prototype, slot))
    font.i = index
    font.missing_glyphs = []
    font.biggest_size_pt = 0
    # OPTIMIZE_FONT_SPEED: write glyph outlines without re-packing their coordinates for
    # size, a third of the render time for a few hundred bytes per page.
    font.ttfont = ttLib.TTFont(
        metrics_file,
        recalcTimestamp=False,
        # Glyph bounds are already right in the instance: recomputing them would
        # decode and re-encode every glyph kept in the subset.
        recalcBBoxes=False,
        lazy=True,
        cfg={ttLib.OPTIMIZE_FONT_SPEED: True},
    )
    font.subset = SubsetMap(font)
    return font


def draw_qr(pdf: FPDF, data: str, *, x: float, y: float, size_mm: float, error: str = "m") -> None:
    code = segno.make(data, error=error, micro=False)
    rows = [list(row) for row in code.matrix_iter(scale=1, border=2)]
    module = size_mm / len(rows)
    pdf.set_fill_color(0, 0, 0)
    for r, row in enumerate(rows):
        # One rectangle per run of dark modules keeps the page small and fast to draw.
        c = 0
        while c < len(row):
            if row[c]:
                start = c
                while c < len(row) and row[c]:
                    c += 1
                pdf.rect(x + start * module, y + r * module, (c - start) * module, module, "F")
            else:
                c += 1
