"""The printed prescription (A4 or A5; English, Hindi or both), drawn with nidaan.printing.

`Printout` holds everything printed, so rendering needs no database (the benchmark
renders one directly); `printout_for(rx, verify_base)` builds it from a stored version.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_noop

from nidaan.prescriptions.lines import RxLine
from nidaan.printing import (
    A5,
    Document,
    HeadLine,
    Language,
    Letterhead,
    PageSize,
    draw_letterhead,
    label,
    pick,
)

N_ = gettext_noop
STAMP_PREFIX = "nidaan-rx:"

LABEL_PATIENT = N_("Patient")
LABEL_AGE_SEX = N_("Age/Sex")
LABEL_DATE = N_("Date")
LABEL_WEIGHT = N_("Weight")
LABEL_COMPLAINTS = N_("Complaints")
LABEL_FINDINGS = N_("Findings")
LABEL_DIAGNOSIS = N_("Diagnosis")
LABEL_INVESTIGATIONS = N_("Investigations")
LABEL_ADVICE = N_("Advice")
LABEL_DIET = N_("Diet")
LABEL_FOLLOW_UP = N_("Follow-up")
LABEL_QUANTITY = N_("Qty")
LABEL_SIGNATURE = N_("Signature")
LABEL_VERIFY = N_("Scan to verify")
LABEL_ALLERGIES = N_("Allergies")
LABEL_TELE = N_("Issued after a teleconsultation.")
LABEL_VERSION = N_("Version %(number)s, replaces an earlier one")
LABEL_CANCELLED = N_("CANCELLED — entered in error")
LABEL_REG = N_("Reg. No.")


# Quantities on a Hindi-only printout; bilingual ones keep the chemist's English.
HINDI_UNITS = {
    "tab": "गोली",
    "cap": "कैप्सूल",
    "sachet": "पाउच",
    "bottle": "बोतल",
    "pack": "पैक",
    "drop": "बूँद",
    "puff": "पफ़",
}


@dataclass(frozen=True)
class Printout:
    clinic: Letterhead
    doctor_name: str
    doctor_name_hi: str
    qualification: str
    registration_number: str
    council: str
    patient_name: str
    age_sex: str
    uhid: str
    abha: str
    issued_at: datetime.datetime
    lines: tuple[RxLine, ...]
    short_code: str
    verify_url: str
    version_number: int = 1
    cancelled: bool = False
    weight_kg: Decimal | None = None
    show_weight: bool = False
    complaints: str = ""
    findings: str = ""
    diagnosis: str = ""
    allergies: str = ""
    investigations: str = ""
    advice: str = ""
    diet: str = ""
    follow_up: datetime.date | None = None
    teleconsultation: bool = False
    extra: tuple[str, ...] = field(default_factory=tuple)


def _num(value: Decimal) -> str:
    return f"{value.normalize():f}"


def render(p: Printout, language: Language = "both", page: PageSize = A5) -> bytes:
    doc = Document(
        page,
        title=f"Prescription {p.short_code}",
        author=p.doctor_name,
        created_at=p.issued_at,
    )
    # Read back by `nidaan rx verify FILE.pdf` to find the record and re-render it.
    doc.set_subject(f"{STAMP_PREFIX}{p.short_code}")
    doc.set_keywords(f"lang={language} size={page.name} url={p.verify_url}")
    small = doc.body_size - 1.5
    reg = f"{label(LABEL_REG, language)} {p.registration_number}"
    names = (
        [p.doctor_name, p.doctor_name_hi]
        if language == "both" and p.doctor_name_hi
        else [pick(p.doctor_name, p.doctor_name_hi, language)]
    )
    beside = [
        *(HeadLine(name, bold=True) for name in names),
        *([HeadLine(p.qualification)] if p.qualification else []),
        HeadLine(f"{reg}, {p.council}" if p.council else reg),
    ]
    draw_letterhead(doc, p.clinic, language, beside)

    # Patient block: one or two lines, label: value pairs.
    local = timezone.localtime(p.issued_at) if timezone.is_aware(p.issued_at) else p.issued_at
    parts = [
        f"{label(LABEL_PATIENT, language)}: {p.patient_name}",
        f"{label(LABEL_AGE_SEX, language)}: {p.age_sex}",
        f"UHID: {p.uhid}",
    ]
    if p.abha:
        parts.append(f"ABHA: {p.abha}")
    if p.show_weight and p.weight_kg:
        parts.append(f"{label(LABEL_WEIGHT, language)}: {_num(p.weight_kg)} kg")
    parts.append(f"{label(LABEL_DATE, language)}: {local:%d-%m-%Y %H:%M}")
    # Name and age on the first line, identifiers and date on the second.
    doc.paragraph("   ".join(parts[:2]), size=doc.body_size, bold=False)
    doc.paragraph("   ".join(parts[2:]), size=doc.body_size)
    if p.cancelled:
        doc.set_text_color(200, 0, 0)
        doc.paragraph(label(LABEL_CANCELLED, language), bold=True, size=doc.body_size + 2)
        doc.set_text_color(0, 0, 0)
    elif p.version_number > 1:
        doc.paragraph(label(LABEL_VERSION, language) % {"number": p.version_number}, size=small)
    doc.rule()

    for text, caption in (
        (p.allergies, LABEL_ALLERGIES),
        (p.complaints, LABEL_COMPLAINTS),
        (p.findings, LABEL_FINDINGS),
        (p.diagnosis, LABEL_DIAGNOSIS),
    ):
        if text:
            if caption == LABEL_ALLERGIES:
                doc.set_text_color(190, 0, 0)
            doc.paragraph(f"{label(caption, language)}: {text}")
            doc.set_text_color(0, 0, 0)

    # Rx lines.
    doc.use_font(doc.body_size + 4, bold=True)
    doc.cell(0, doc.line_height(doc.body_size + 3), "Rx", new_x="LMARGIN", new_y="NEXT")
    qty_width = 26.0 if doc.page_spec.is_small else 32.0
    name_width = doc.content_width - qty_width
    indent = 6.0
    for number, line in enumerate(p.lines, start=1):
        if doc.get_y() > doc.h - 45:
            doc.add_page()
        top = doc.get_y()
        schedule = f"  [Sch. {line.schedule}]" if line.schedule in ("H1", "X") else ""
        doc.paragraph(f"{number}. {line.printed_name}{schedule}", bold=True, width=name_width)
        after_name = doc.get_y()
        if line.quantity is not None:
            doc.set_xy(doc.l_margin + name_width, top)
            doc.use_font(small)
            qty_label = label(LABEL_QUANTITY, language)
            unit = line.quantity_unit
            if language == "hi":
                unit = HINDI_UNITS.get(unit, unit)
            qty = f"{qty_label}: {_num(line.quantity)} {unit}"
            doc.cell(qty_width, doc.line_height(), qty, align="R")
        doc.set_y(max(after_name, doc.get_y()))
        frequency = line.frequency if line.frequency[0].isdigit() else ""
        if language in ("en", "both"):
            text = f"{frequency} — {line.instructions_en}" if frequency else line.instructions_en
            doc.paragraph(text, x=doc.l_margin + indent, width=doc.content_width - indent)
        if language in ("hi", "both"):
            text = line.instructions_hi
            if language == "hi" and frequency:
                text = f"{frequency} — {text}"
            doc.paragraph(text, x=doc.l_margin + indent, width=doc.content_width - indent)
        doc.ln(0.6)

    doc.rule()
    for text, caption in (
        (p.investigations, LABEL_INVESTIGATIONS),
        (p.advice, LABEL_ADVICE),
        (p.diet, LABEL_DIET),
    ):
        if text:
            doc.paragraph(f"{label(caption, language)}: {text}")
    if p.follow_up:
        doc.paragraph(f"{label(LABEL_FOLLOW_UP, language)}: {p.follow_up:%d-%m-%Y}", bold=True)
    if p.teleconsultation:
        doc.paragraph(label(LABEL_TELE, language), size=small)
    for extra in p.extra:
        doc.paragraph(extra, size=small)

    # Footer: QR on the left, signature on the right, on the last page's foot.
    qr_size = 19.0 if doc.page_spec.is_small else 24.0
    footer_top = doc.h - doc.b_margin - qr_size + 1
    if doc.get_y() > footer_top - 2:
        doc.add_page()
    # The footer sits in the bottom margin's edge: no automatic page break inside it.
    doc.set_auto_page_break(False)
    doc.qr(p.verify_url, x=doc.l_margin - 1.5, y=footer_top, size_mm=qr_size)
    text_x = doc.l_margin + qr_size
    text_width = doc.content_width * 0.52 - qr_size
    doc.set_y(footer_top + qr_size * 0.2)
    doc.paragraph(label(LABEL_VERIFY, language), size=small - 0.5, x=text_x, width=text_width)
    doc.paragraph(p.short_code, size=small + 1, bold=True, x=text_x, width=text_width)
    doc.paragraph(p.verify_url, size=small - 1.5, x=text_x, width=text_width)
    sign_width = doc.content_width * 0.45
    sign_x = doc.w - doc.r_margin - sign_width
    doc.set_line_width(0.2)
    doc.line(sign_x, footer_top + qr_size * 0.45, doc.w - doc.r_margin, footer_top + qr_size * 0.45)
    doc.set_y(footer_top + qr_size * 0.45 + 0.5)
    for text in (label(LABEL_SIGNATURE, language), p.doctor_name, reg):
        doc.paragraph(text, size=small, x=sign_x, width=sign_width, align="C")
    return doc.to_bytes()
