"""The clinic's letterhead at the top of every printout."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from django.utils.translation import gettext_noop

from nidaan.printing.document import Document, Language
from nidaan.printing.labels import label, pick

if TYPE_CHECKING:
    from nidaan.clinics.models import Facility


@dataclass(frozen=True)
class HeadLine:
    """One line of the block beside the clinic's name (the doctor's name, degrees …)."""

    text: str
    bold: bool = False


@dataclass(frozen=True)
class Letterhead:
    name_en: str
    name_hi: str = ""
    address: str = ""
    phone: str = ""
    timings: str = ""
    extra_lines: tuple[str, ...] = ()
    logo_png: bytes | None = field(default=None, repr=False)

    @classmethod
    def from_facility(cls, facility: Facility) -> Letterhead:
        """The branch's letterhead: organisation name, or the branch's own when it differs."""
        org = facility.organisation
        place = ", ".join(
            part for part in (facility.address_line, facility.city, facility.district) if part
        )
        address = f"{place} – {facility.pin}" if facility.pin else place
        return cls(
            name_en=org.name,
            name_hi=org.name_hi,
            address=address,
            phone=facility.phone,
            timings=facility.timings,
        )


def draw_letterhead(
    doc: Document,
    head: Letterhead,
    language: Language,
    beside: Sequence[HeadLine] = (),
) -> None:
    """Clinic name (both scripts when bilingual), address, phone and timings; `beside`
    on the right (below on narrow rolls); then a rule. The cursor ends under it."""
    narrow = doc.page_spec.width_mm < 100
    top = doc.get_y()
    left = doc.l_margin
    width = doc.content_width if (narrow or not beside) else doc.content_width * 0.58
    if head.logo_png and not narrow:
        logo = 16.0
        doc.image(io.BytesIO(head.logo_png), x=left, y=top, w=logo, h=logo, keep_aspect_ratio=True)
        left += logo + 3
        width -= logo + 3
    align: Literal["L", "C"] = "C" if narrow else "L"
    big = 15.0 if doc.page_spec.width_mm >= 200 else 12.5
    names = (
        [head.name_en, head.name_hi]
        if language == "both" and head.name_hi and head.name_hi != head.name_en
        else [pick(head.name_en, head.name_hi, language)]
    )
    doc.set_y(top)
    for name in names:
        doc.paragraph(name, size=big, bold=True, width=width, x=left, align=align)
    small = doc.body_size - 1
    if head.address:
        doc.paragraph(head.address, size=small, width=width, x=left, align=align)
    contact = []
    if head.phone:
        contact.append(f"{label(gettext_noop('Phone'), language)}: {head.phone}")
    if head.timings:
        contact.append(f"{label(gettext_noop('Timings'), language)}: {head.timings}")
    if contact:
        doc.paragraph("  ·  ".join(contact), size=small, width=width, x=left, align=align)
    for extra in head.extra_lines:
        doc.paragraph(extra, size=small, width=width, x=left, align=align)
    bottom = doc.get_y()
    if beside:
        if narrow:
            doc.set_y(bottom + 1)
            for line in beside:
                doc.paragraph(line.text, size=small, bold=line.bold, align="C")
            bottom = doc.get_y()
        else:
            doc.set_y(top)
            right_width = doc.content_width * 0.40
            x = doc.w - doc.r_margin - right_width
            for line in beside:
                doc.paragraph(
                    line.text,
                    size=doc.body_size if line.bold else small,
                    bold=line.bold,
                    width=right_width,
                    x=x,
                    align="R",
                )
            bottom = max(bottom, doc.get_y())
    doc.set_y(bottom)
    doc.rule(width_mm=0.4)
