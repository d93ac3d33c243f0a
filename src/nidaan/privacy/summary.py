"""The printed summary of a patient's whole chart, for a records request (MCI 1.3.2).

Demographics, allergies, the problem list, every visit (complaints, vitals, diagnoses,
advice, prescriptions), reports and images, and bills; headings in English and Hindi,
A4, every page numbered and naming the patient. It reads the same records as the FHIR
bundle (fhir.chart), so the paper and the file agree: current versions only, records
entered in error left out.

`summary_for(patient)` collects everything (the database part); `render(summary)` only
draws, so a benchmark or a test can render a summary without a database.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext_noop
from fpdf.fonts import FontFace

from nidaan.billing import queries as billing_queries
from nidaan.billing.models import Bill
from nidaan.billing.money import inr
from nidaan.documents.uploads import size_label
from nidaan.encounters.history import VitalsReading
from nidaan.fhir.chart import ChartRecords, chart_records
from nidaan.patients.models import Patient
from nidaan.prescriptions.lines import RxLine
from nidaan.printing import A4, Document, Language, Letterhead, draw_letterhead, label

TITLE = gettext_noop("Summary of medical records")
ISSUED = gettext_noop("Issued on")
FOR_REQUEST = gettext_noop(
    "Issued on the patient's request for their records. Each record is shown in its "
    "latest version; records withdrawn as entered in error are left out."
)
PAGE_OF = gettext_noop("Page %(page)s of %(pages)s")
PATIENT = gettext_noop("Patient")
NAME = gettext_noop("Name")
AGE_SEX = gettext_noop("Age/Sex")
BORN = gettext_noop("Date of birth")
ESTIMATED = gettext_noop("estimated")
MOBILE = gettext_noop("Mobile")
ADDRESS = gettext_noop("Address")
GUARDIAN = gettext_noop("Father's / husband's name")
ALLERGIES = gettext_noop("Allergies")
NO_ALLERGIES = gettext_noop("No allergy recorded.")
PROBLEMS = gettext_noop("Problem list and diagnoses")
NO_DIAGNOSES = gettext_noop("No diagnosis recorded.")
DIAGNOSIS = gettext_noop("Diagnosis")
FIRST_NOTED = gettext_noop("First noted")
LAST_NOTED = gettext_noop("Last noted")
STATUS = gettext_noop("Status")
ACTIVE = gettext_noop("Active")
RESOLVED = gettext_noop("Resolved")
PROVISIONAL = gettext_noop("provisional")
VISITS = gettext_noop("Visits")
NO_VISITS = gettext_noop("No visit recorded.")
DOCTOR = gettext_noop("Doctor")
COMPLAINTS = gettext_noop("Complaints")
VITALS = gettext_noop("Vitals")
FINDINGS = gettext_noop("Findings")
ADVICE = gettext_noop("Advice")
FOLLOW_UP = gettext_noop("Follow-up")
PRESCRIPTION = gettext_noop("Prescription")
VERSION = gettext_noop("version")
DOCUMENTS = gettext_noop("Reports and images")
NO_DOCUMENTS = gettext_noop("No report or image uploaded.")
BILLS = gettext_noop("Bills")
NO_BILLS = gettext_noop("No bill issued.")
DATE = gettext_noop("Date")
TITLE_COLUMN = gettext_noop("Title")
KIND = gettext_noop("Kind")
FILE = gettext_noop("File")
NUMBER = gettext_noop("No.")
DOCUMENT_TYPE = gettext_noop("Document")
AMOUNT = gettext_noop("Amount")
CANCELLED = gettext_noop("Cancelled")
SEX = {"M": gettext_noop("Male"), "F": gettext_noop("Female"), "O": gettext_noop("Other")}
SEVERITY = {
    "mild": gettext_noop("Mild"),
    "moderate": gettext_noop("Moderate"),
    "severe": gettext_noop("Severe"),
}


@dataclass(frozen=True)
class ProblemRow:
    text: str
    code: str
    first_noted: datetime.date
    last_noted: datetime.date
    visits: int
    active: bool
    provisional: bool


@dataclass(frozen=True)
class RxBlock:
    short_code: str
    version: int
    # (printed name, instructions in English, in Hindi)
    lines: list[tuple[str, str, str]]


@dataclass
class VisitBlock:
    started_at: datetime.datetime
    doctor: str
    branch: str
    complaints: str = ""
    vitals: list[str] = field(default_factory=list)
    diagnoses: list[str] = field(default_factory=list)
    findings: str = ""
    advice: str = ""
    follow_up: datetime.date | None = None
    prescriptions: list[RxBlock] = field(default_factory=list)


@dataclass(frozen=True)
class DocumentRow:
    recorded_on: datetime.date
    title: str
    kind: str
    file: str


@dataclass(frozen=True)
class BillRow:
    number: str
    issued_on: datetime.date
    kind: str
    total: Decimal
    cancelled: bool


@dataclass(frozen=True)
class RecordsSummary:
    clinic: Letterhead
    issued_at: datetime.datetime
    name: str
    name_latin: str
    uhid: str
    abha_number: str
    abha_address: str
    sex: str
    age: int
    born: datetime.date
    born_estimated: bool
    mobile: str
    address: str
    guardian: str
    allergies: list[str]
    problems: list[ProblemRow]
    visits: list[VisitBlock]  # newest first
    documents: list[DocumentRow]
    bills: list[BillRow]


def _local_date(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


def _problems(chart: ChartRecords) -> list[ProblemRow]:
    started = {e.pk: e.started_at for e in chart.encounters}
    grouped: dict[str, list[Any]] = defaultdict(list)
    for diagnosis in chart.diagnoses:
        if diagnosis.encounter_id in started:
            grouped[diagnosis.icd10_code or diagnosis.text.strip().lower()].append(diagnosis)
    rows = []
    for diagnoses in grouped.values():
        diagnoses.sort(key=lambda d: started[d.encounter_id])
        latest = diagnoses[-1]
        rows.append(
            ProblemRow(
                text=latest.text,
                code=latest.icd10_code,
                first_noted=_local_date(started[diagnoses[0].encounter_id]),
                last_noted=_local_date(started[latest.encounter_id]),
                visits=len({d.encounter_id for d in diagnoses}),
                active=latest.active,
                provisional=latest.certainty != "final",
            )
        )
    # Active problems first, then the most recently seen.
    rows.sort(key=lambda r: (not r.active, -r.last_noted.toordinal()))
    return rows


def _visits(chart: ChartRecords) -> list[VisitBlock]:
    unit = chart.organisation.temperature_unit
    visits: dict[Any, VisitBlock] = {}
    for encounter in chart.encounters:
        doctor = chart.doctors.get(encounter.doctor_id)
        facility = chart.facilities.get(encounter.facility_id)
        block = VisitBlock(
            started_at=encounter.started_at,
            doctor=(doctor.full_name or doctor.username) if doctor else "",
            branch=facility.name if facility else "",
        )
        note = chart.notes.get(encounter.pk)
        if note is not None:
            block.complaints = ", ".join(
                f"{c['text']} ({c['duration']} {c['unit']})" if c.get("duration") else c["text"]
                for c in note.complaints
                if c.get("text")
            )
            block.findings = note.examination.strip()
            block.advice = note.advice.strip()
            block.follow_up = note.follow_up_date
        visits[encounter.pk] = block
    for vitals in chart.vitals:
        if vitals.encounter_id in visits:
            reading = VitalsReading(vitals, unit)
            visits[vitals.encounter_id].vitals.append(", ".join(text for text, _ in reading.parts))
    for diagnosis in chart.diagnoses:
        if diagnosis.encounter_id in visits:
            code = f" ({diagnosis.icd10_code})" if diagnosis.icd10_code else ""
            visits[diagnosis.encounter_id].diagnoses.append(f"{diagnosis.text}{code}")
    for rx in chart.prescriptions:
        if rx.encounter_id in visits:
            lines = [RxLine.from_json(line) for line in rx.lines]
            visits[rx.encounter_id].prescriptions.append(
                RxBlock(
                    short_code=rx.short_code,
                    version=rx.version_number,
                    lines=[
                        (ln.printed_name, ln.instructions_en, ln.instructions_hi) for ln in lines
                    ],
                )
            )
    return sorted(visits.values(), key=lambda v: v.started_at, reverse=True)


def _bills(chart: ChartRecords) -> list[BillRow]:
    bills = Bill.objects.filter(patient_id__in=list(chart.group)).select_related("cancellation")
    return [
        BillRow(
            number=bill.number,
            issued_on=bill.issued_on,
            kind=str(bill.get_doc_type_display()),
            total=bill.total,
            cancelled=billing_queries.is_cancelled(bill),
        )
        for bill in bills.order_by("issued_at", "serial")
    ]


def summary_for(patient: Patient) -> RecordsSummary:
    # Units, record kinds and vitals labels in English: the headings carry the Hindi.
    with translation.override("en"):
        chart = chart_records(patient)
        shown = chart.patient
        registered = chart.facilities[shown.registered_at_id]
        registered.organisation = chart.organisation
        address = ", ".join(
            part
            for part in (
                shown.address_line,
                shown.locality,
                shown.district,
                shown.get_state_display() if shown.state else "",
                shown.pin,
            )
            if part
        )
        guardian = shown.guardian_name
        if guardian and shown.guardian_relation:
            guardian = f"{guardian} ({shown.get_guardian_relation_display()})"
        return RecordsSummary(
            clinic=Letterhead.from_facility(registered),
            issued_at=timezone.now(),
            name=shown.name,
            name_latin=shown.name_latin,
            uhid=shown.uhid,
            abha_number=shown.abha_number_display if shown.abha_number else "",
            abha_address=shown.abha_address,
            sex=shown.sex,
            age=shown.age,
            born=shown.date_of_birth,
            born_estimated=shown.date_of_birth_estimated,
            mobile=shown.mobile,
            address=address,
            guardian=guardian,
            allergies=[
                " — ".join(
                    part
                    for part in (
                        a.substance,
                        a.reaction,
                        str(SEVERITY.get(a.severity, a.severity)),
                    )
                    if part
                )
                for a in chart.allergies
                if a.active
            ],
            problems=_problems(chart),
            visits=_visits(chart),
            documents=[
                DocumentRow(
                    recorded_on=_local_date(d.recorded_at),
                    title=d.display_title,
                    kind=str(d.get_kind_display()),
                    file=f"{d.content_type.split('/')[-1].upper()}, {size_label(d.size)}",
                )
                for d in reversed(chart.documents)
            ],
            bills=_bills(chart),
        )


# ----- drawing -----------------------------------------------------------------------


class _SummaryDocument(Document):
    """A Document whose every page ends with the patient's name, UHID and page number."""

    def __init__(self, footer_text: str, page_of: str, total: int | None) -> None:
        self.footer_text = footer_text
        self.page_of = page_of
        self.total_pages = total
        super().__init__(A4, title="Records summary", author="Nidaan")
        self.set_auto_page_break(True, margin=14)  # room for the foot line

    def footer(self) -> None:
        self.set_y(-9)
        self.use_font(self.body_size - 2.5)
        self.set_text_color(90, 90, 90)
        # The first pass does not know the total yet: "?" takes about its room. (Drawing
        # the feet afterwards on finished pages breaks fpdf2's Devanagari shaping, and
        # its "{nb}" alias leaves gaps: two passes are the clean way.)
        number = self.page_of % {"page": self.page_no(), "pages": self.total_pages or "?"}
        self.cell(self.content_width * 0.75, 4, self.footer_text, align="L")
        self.cell(self.content_width * 0.25, 4, number, align="R")
        self.set_text_color(0, 0, 0)


def _heading(doc: Document, text: str) -> None:
    if doc.get_y() > doc.h - 40:
        doc.add_page()
    doc.ln(2.5)
    doc.paragraph(text, size=doc.body_size + 2, bold=True)
    doc.set_line_width(0.3)
    doc.line(doc.l_margin, doc.get_y(), doc.w - doc.r_margin, doc.get_y())
    doc.ln(1.2)


def _pairs(doc: Document, pairs: list[tuple[str, str]]) -> None:
    width = doc.content_width
    for name, value in pairs:
        if not value:
            continue
        doc.use_font(bold=True)
        doc.cell(width * 0.30, doc.line_height(), name)
        doc.paragraph(value, width=width * 0.70)


def _table(
    doc: Document, headings: list[str], rows: list[list[str]], widths: tuple[int, ...]
) -> None:
    small = doc.body_size - 1
    doc.use_font(small)
    with doc.table(
        col_widths=widths,
        text_align="LEFT",
        line_height=doc.line_height(small),
        first_row_as_headings=True,
        headings_style=FontFace(emphasis="BOLD", size_pt=small),
        borders_layout="HORIZONTAL_LINES",
        padding=0.8,
    ) as table:
        row = table.row()
        for heading in headings:
            row.cell(heading)
        for values in rows:
            row = table.row()
            for value in values:
                row.cell(value)


def _date(day: datetime.date | None) -> str:
    return day.strftime("%d-%m-%Y") if day else ""


def _draw(summary: RecordsSummary, language: Language, total: int | None) -> _SummaryDocument:
    def lab(message: str) -> str:
        return label(message, language)

    doc = _SummaryDocument(
        f"{summary.name} · UHID {summary.uhid} · {lab(ISSUED)} "
        f"{_date(timezone.localtime(summary.issued_at).date())}",
        lab(PAGE_OF),
        total,
    )
    doc.set_creation_date(summary.issued_at)
    issued = timezone.localtime(summary.issued_at)
    draw_letterhead(doc, summary.clinic, language)
    doc.paragraph(lab(TITLE), size=doc.body_size + 4, bold=True, align="C")
    doc.paragraph(f"{lab(ISSUED)}: {issued:%d-%m-%Y %H:%M}", align="C")
    doc.paragraph(lab(FOR_REQUEST), size=doc.body_size - 1.5, align="C")

    _heading(doc, lab(PATIENT))
    name = summary.name
    if summary.name_latin and summary.name_latin != summary.name:
        name = f"{summary.name} ({summary.name_latin})"
    born = _date(summary.born)
    if summary.born_estimated:
        born = f"{born} ({lab(ESTIMATED)})"
    _pairs(
        doc,
        [
            (lab(NAME), name),
            ("UHID", summary.uhid),
            ("ABHA", " · ".join(p for p in (summary.abha_number, summary.abha_address) if p)),
            (lab(AGE_SEX), f"{summary.age} / {lab(SEX.get(summary.sex, summary.sex))}"),
            (lab(BORN), born),
            (lab(MOBILE), summary.mobile),
            (lab(ADDRESS), summary.address),
            (lab(GUARDIAN), summary.guardian),
        ],
    )

    _heading(doc, lab(ALLERGIES))
    if summary.allergies:
        doc.set_text_color(190, 0, 0)
        for allergy in summary.allergies:
            doc.paragraph(f"• {allergy}", bold=True)
        doc.set_text_color(0, 0, 0)
    else:
        doc.paragraph(lab(NO_ALLERGIES))

    _heading(doc, lab(PROBLEMS))
    if summary.problems:
        _table(
            doc,
            [lab(DIAGNOSIS), "ICD-10", lab(FIRST_NOTED), lab(LAST_NOTED), lab(STATUS)],
            [
                [
                    f"{p.text} ({lab(PROVISIONAL)})" if p.provisional else p.text,
                    p.code,
                    _date(p.first_noted),
                    _date(p.last_noted),
                    lab(ACTIVE if p.active else RESOLVED),
                ]
                for p in summary.problems
            ],
            (44, 12, 16, 16, 16),
        )
    else:
        doc.paragraph(lab(NO_DIAGNOSES))

    _heading(doc, lab(VISITS))
    if not summary.visits:
        doc.paragraph(lab(NO_VISITS))
    for visit in summary.visits:
        _draw_visit(doc, visit, lab)

    _heading(doc, lab(DOCUMENTS))
    if summary.documents:
        _table(
            doc,
            [lab(DATE), lab(TITLE_COLUMN), lab(KIND), lab(FILE)],
            [[_date(d.recorded_on), d.title, d.kind, d.file] for d in summary.documents],
            (16, 40, 28, 18),
        )
    else:
        doc.paragraph(lab(NO_DOCUMENTS))

    _heading(doc, lab(BILLS))
    if summary.bills:
        _table(
            doc,
            [lab(NUMBER), lab(DATE), lab(DOCUMENT_TYPE), lab(AMOUNT), lab(STATUS)],
            [
                [
                    b.number,
                    _date(b.issued_on),
                    b.kind,
                    f"₹{inr(b.total)}",
                    lab(CANCELLED) if b.cancelled else "",
                ]
                for b in summary.bills
            ],
            (24, 16, 30, 18, 16),
        )
    else:
        doc.paragraph(lab(NO_BILLS))
    return doc


def _draw_visit(doc: Document, visit: VisitBlock, lab: Any) -> None:
    if doc.get_y() > doc.h - 45:
        doc.add_page()
    when = timezone.localtime(visit.started_at)
    doc.ln(1.5)
    head = f"{when:%d-%m-%Y %H:%M} · {lab(DOCTOR)}: {visit.doctor}"
    if visit.branch:
        head += f" · {visit.branch}"
    doc.set_fill_color(235, 240, 240)
    doc.use_font(bold=True)
    doc.cell(0, doc.line_height() + 1, head, fill=True, new_x="LMARGIN", new_y="NEXT")
    indent = doc.l_margin + 3
    width = doc.content_width - 3
    for caption, text in (
        (COMPLAINTS, visit.complaints),
        (VITALS, "; ".join(visit.vitals)),
        (DIAGNOSIS, "; ".join(visit.diagnoses)),
        (FINDINGS, visit.findings),
        (ADVICE, visit.advice),
        (FOLLOW_UP, _date(visit.follow_up)),
    ):
        if text:
            doc.paragraph(f"{lab(caption)}: {text}", x=indent, width=width)
    for rx in visit.prescriptions:
        version = f", {lab(VERSION)} {rx.version}" if rx.version > 1 else ""
        doc.paragraph(f"{lab(PRESCRIPTION)} ({rx.short_code}{version}):", x=indent, width=width)
        for number, (name, english, hindi) in enumerate(rx.lines, start=1):
            doc.paragraph(f"{number}. {name}", bold=True, x=indent + 3, width=width - 3)
            for text in (english, hindi):
                if text:
                    doc.paragraph(text, size=doc.body_size - 1, x=indent + 7, width=width - 7)


def render(summary: RecordsSummary, language: Language = "both") -> bytes:
    """The summary as PDF bytes, every page numbered "Page n of N"."""
    # Drawn twice: the first pass counts the pages the second one prints on each.
    pages = _draw(summary, language, None).page_no()
    return _draw(summary, language, pages).to_bytes()
