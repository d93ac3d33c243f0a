"""Printed bills: A4, A5 and 80 mm thermal receipts, in English, Hindi or both, on the
shared printing foundation (nidaan.printing: fonts, shaping, letterhead, QR).

Each document type prints what its rule asks for: supplier name, address and GSTIN;
number and date; recipient (and GSTIN when registered); SAC/HSN, description, quantity
and unit; value after discount; rate and amount of each tax; place of supply with the
state's name and code; reverse charge; the original's number and date on a credit note
(CGST Rules 46, 46A, 49, 53). The composition wording and the health-care exemption
entry are printed when they apply.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext_noop
from fpdf.fonts import FontFace

from nidaan.audit.printouts import record_print
from nidaan.audit.record import Origin
from nidaan.billing import queries
from nidaan.billing.actions import COMPOSITION_WORDING
from nidaan.billing.models import Bill, BillLine, DocumentType, Taxability
from nidaan.billing.money import inr
from nidaan.billing.presenting import state_name
from nidaan.billing.upi import upi_uri
from nidaan.billing.words import amount_in_words
from nidaan.printing import (
    A4,
    A5,
    THERMAL_80,
    Document,
    HeadLine,
    Language,
    Letterhead,
    PageSize,
    draw_letterhead,
    label,
    pick,
)

SIZES: dict[str, PageSize] = {"A4": A4, "A5": A5, "80mm": THERMAL_80}

TITLES: dict[str, str] = {
    DocumentType.RECEIPT: gettext_noop("Receipt"),
    DocumentType.BILL_OF_SUPPLY: gettext_noop("Bill of supply"),
    DocumentType.TAX_INVOICE: gettext_noop("Tax invoice"),
    DocumentType.INVOICE_CUM_BILL: gettext_noop("Invoice-cum-bill of supply"),
    DocumentType.CREDIT_NOTE: gettext_noop("Credit note"),
    DocumentType.REFUND: gettext_noop("Refund"),
}
EXEMPTION = gettext_noop(
    "Health care services: exempt from GST (Notification 12/2017-Central Tax (Rate), S.No. 74)"
)
COMPUTER_MADE = gettext_noop("Computer-generated document; no signature required.")
# Labels kept out of f-strings, where xgettext would not find them.
L_AGAINST = gettext_noop("Against")
L_AMOUNT = gettext_noop("Amount")
L_AUTHORISED_SIGNATORY = gettext_noop("Authorised signatory")
L_BALANCE_DUE = gettext_noop("Balance due")
L_BILL_TO = gettext_noop("Bill to")
L_CANCELLED = gettext_noop("CANCELLED")
L_DATE = gettext_noop("Date")
L_DESCRIPTION = gettext_noop("Description")
L_DISC = gettext_noop("Disc.")
L_DISCOUNT = gettext_noop("Discount")
L_EXEMPT = gettext_noop("Exempt")
L_EXEMPT_SUPPLIES = gettext_noop("Exempt supplies")
L_FOR = gettext_noop("For")
L_GST = gettext_noop("GST")
L_NIL_RATED_SUPPLIES = gettext_noop("Nil-rated supplies")
L_NO = gettext_noop("No")
L_NUMBER = gettext_noop("No.")
L_PAID = gettext_noop("Paid")
L_PLACE_OF_SUPPLY = gettext_noop("Place of supply")
L_PRICE = gettext_noop("Price")
L_QTY = gettext_noop("Qty")
L_REASON = gettext_noop("Reason")
L_REVERSE_CHARGE = gettext_noop("Reverse charge")
L_ROUND_OFF = gettext_noop("Round off")
L_SCAN_TO_PAY_BY_UPI = gettext_noop("Scan to pay by UPI")
L_STATE = gettext_noop("State")
L_TAXABLE_VALUE = gettext_noop("Taxable value")
L_TOTAL = gettext_noop("Total")
L_VALUE = gettext_noop("Value")


def _l(message: str, language: Language) -> str:
    return label(message, language)


def _date(day: datetime.date) -> str:
    return day.strftime("%d-%m-%Y")


def _qty(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _rate(line: BillLine) -> str:
    return "" if line.rate is None else f"{line.rate.normalize():f}%"


def render_bill(bill: Bill, *, size: str = "A4", language: Language = "both") -> bytes:
    """The document as PDF bytes. The same document prints the same bytes every time."""
    page = SIZES[size]
    created = datetime.datetime.combine(bill.issued_on, datetime.time(), tzinfo=datetime.UTC)
    doc = Document(
        page,
        title=f"{bill.get_doc_type_display()} {bill.number}",
        author=bill.supplier_name,
        created_at=created,
    )
    # HarfBuzz guesses a run's script from its first letter: "Bill to / बिल" would be
    # shaped as Latin and the ि drawn after its consonant ("बलि"). Bilingual labels mix
    # scripts in one run, so the Devanagari shaper is named; it leaves Latin as it is.
    doc.set_text_shaping(True, script="deva", language="hin")
    context = _context(bill)
    if page.width_mm < 100:
        _thermal(doc, bill, context, language)
    else:
        _sheet(doc, bill, context, language)
    return doc.to_bytes()


def pdf_response(
    bill: Bill, size: str, language: str, *, acting_user: Any, origin: Origin
) -> HttpResponse:
    """The printout as an inline PDF response (for the pages and the API); each one is
    audited as a print of that bill."""
    content = render_bill(bill, size=size, language=language)  # type: ignore[arg-type]
    record_print(
        bill,
        actor=acting_user,
        patient_id=bill.patient_id,
        origin=origin,
        printed="bill",
        number=bill.number,
        format="pdf",
        language=language,
        size=size,
    )
    response = HttpResponse(content, content_type="application/pdf")
    filename = bill.number.replace("/", "-")
    response["Content-Disposition"] = f'inline; filename="{filename}-{size}.pdf"'
    return response


def _context(bill: Bill) -> dict[str, Any]:
    profile = queries.gst_profile(bill.organisation)
    cancelled = queries.is_cancelled(bill)
    due = Decimal(0) if bill.is_correction or cancelled else queries.balance(bill)
    paid = Decimal(0) if bill.is_correction else queries.paid(bill)
    return {
        "cancelled": cancelled,
        "due": due,
        "paid": paid,
        "upi": upi_uri(profile, bill, due),
        "lines": list(bill.lines.all()),
        "taxed": bill.doc_type in (DocumentType.TAX_INVOICE, DocumentType.INVOICE_CUM_BILL)
        or (bill.is_correction and (bill.cgst or bill.sgst or bill.igst)),
    }


def _head_lines(bill: Bill, language: Language) -> list[HeadLine]:
    lines = [
        HeadLine(_l(TITLES[bill.doc_type], language), bold=True),
        HeadLine(f"{_l(L_NUMBER, language)}: {bill.number}", bold=True),
        HeadLine(f"{_l(L_DATE, language)}: {_date(bill.issued_on)}"),
    ]
    if bill.original is not None:
        lines.append(
            HeadLine(
                f"{_l(L_AGAINST, language)}: {bill.original.number} "
                f"({_date(bill.original.issued_on)})"
            )
        )
    return lines


def _supplier_lines(bill: Bill, language: Language) -> list[str]:
    lines = []
    if bill.supplier_gstin:
        name = bill.supplier_name
        if bill.supplier_trade_name and bill.supplier_trade_name != name:
            name = f"{name} ({bill.supplier_trade_name})"
        lines.append(name)
        lines.append(
            f"GSTIN: {bill.supplier_gstin} · {_l(L_STATE, language)}: "
            f"{state_name(bill.supplier_state)} ({bill.supplier_state})"
        )
    if bill.composition:
        lines.append(COMPOSITION_WORDING)
    return lines


def _recipient_lines(bill: Bill, language: Language) -> list[str]:
    lines = []
    name = bill.recipient_name or "—"
    lines.append(f"{_l(L_BILL_TO, language)}: {name}")
    if bill.recipient_address:
        lines.append(bill.recipient_address)
    if bill.recipient_gstin:
        lines.append(f"GSTIN: {bill.recipient_gstin}")
    if bill.supplier_gstin:
        state = bill.recipient_state or bill.place_of_supply
        lines.append(
            f"{_l(L_STATE, language)}: {state_name(state)} ({state}) · "
            f"{_l(L_PLACE_OF_SUPPLY, language)}: "
            f"{state_name(bill.place_of_supply)} ({bill.place_of_supply}) · "
            f"{_l(L_REVERSE_CHARGE, language)}: "
            f"{_l(L_NO, language)}"
        )
    if bill.reason:
        lines.append(f"{_l(L_REASON, language)}: {bill.reason}")
    return lines


def _totals(bill: Bill, context: dict[str, Any], language: Language) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    if bill.discount:
        rows.append((_l(L_DISCOUNT, language), f"-{inr(bill.discount)}"))
    if context["taxed"]:
        rows.append((_l(L_TAXABLE_VALUE, language), inr(bill.taxable_value)))
        if bill.igst:
            rows.append(("IGST", inr(bill.igst)))
        else:
            rows.append(("CGST", inr(bill.cgst)))
            rows.append((bill.sgst_label, inr(bill.sgst)))
    if bill.exempt_value and bill.supplier_gstin:
        rows.append((_l(L_EXEMPT_SUPPLIES, language), inr(bill.exempt_value)))
    if bill.nil_value and bill.supplier_gstin:
        rows.append((_l(L_NIL_RATED_SUPPLIES, language), inr(bill.nil_value)))
    if bill.round_off:
        rows.append((_l(L_ROUND_OFF, language), inr(bill.round_off)))
    rows.append((_l(L_TOTAL, language) + " ₹", inr(bill.total)))
    return rows


def _words(bill: Bill, language: Language) -> list[str]:
    if language == "both":
        return [amount_in_words(bill.total, "en"), amount_in_words(bill.total, "hi")]
    return [amount_in_words(bill.total, language)]


def _notes(bill: Bill, context: dict[str, Any], language: Language) -> list[str]:
    notes = []
    if bill.supplier_gstin and any(
        line.taxability == Taxability.EXEMPT and line.is_service for line in context["lines"]
    ):
        notes.append(_l(EXEMPTION, language))
    notes.append(_l(COMPUTER_MADE, language))
    return notes


def _cancelled_banner(doc: Document, language: Language) -> None:
    doc.set_text_color(180, 0, 0)
    doc.paragraph(_l(L_CANCELLED, language), size=doc.body_size + 4, bold=True, align="C")
    doc.set_text_color(0, 0, 0)


def _sheet(doc: Document, bill: Bill, context: dict[str, Any], language: Language) -> None:
    head = Letterhead.from_facility(bill.facility)
    draw_letterhead(doc, head, language, beside=_head_lines(bill, language))
    if context["cancelled"]:
        _cancelled_banner(doc, language)
    small = doc.body_size - 1
    for text in _supplier_lines(bill, language):
        doc.paragraph(text, size=small)
    doc.ln(1)
    for i, text in enumerate(_recipient_lines(bill, language)):
        doc.paragraph(text, size=small, bold=i == 0)
    doc.ln(2)
    _line_table(doc, bill, context, language)
    doc.ln(2)
    top = doc.get_y()
    width = doc.content_width
    totals_x = doc.l_margin + width * 0.55
    for name, value in _totals(bill, context, language):
        is_total = name.startswith(_l(L_TOTAL, language))
        doc.use_font(doc.body_size + (1 if is_total else 0), bold=is_total)
        doc.set_x(totals_x)
        doc.cell(width * 0.27, doc.line_height(), name, align="L")
        doc.cell(width * 0.18, doc.line_height(), value, align="R", new_x="LMARGIN", new_y="NEXT")
    bottom = doc.get_y()
    # Payment status and the UPI QR on the left, beside the totals.
    doc.set_y(top)
    left_width = width * 0.52
    if not bill.is_correction and not context["cancelled"]:
        doc.paragraph(
            f"{_l(L_PAID, language)}: ₹{inr(context['paid'])} · "
            f"{_l(L_BALANCE_DUE, language)}: ₹{inr(context['due'])}",
            size=small,
            bold=True,
            width=left_width,
        )
        if context["upi"]:
            size_mm = 26.0 if doc.page_spec.width_mm > 200 else 22.0
            y = doc.get_y() + 1
            doc.qr(context["upi"], x=doc.l_margin, y=y, size_mm=size_mm)
            doc.set_xy(doc.l_margin + size_mm + 2, y + 2)
            doc.paragraph(
                f"{_l(L_SCAN_TO_PAY_BY_UPI, language)}\n₹{inr(context['due'])}\n"
                f"UPI: {queries.gst_profile(bill.organisation).upi_vpa}",
                size=small,
                width=left_width - size_mm - 2,
                x=doc.l_margin + size_mm + 2,
            )
            doc.set_y(max(doc.get_y(), y + size_mm))
    doc.set_y(max(bottom, doc.get_y()) + 2)
    for text in _words(bill, language):
        doc.paragraph(text, size=small, bold=True)
    doc.rule()
    for text in _notes(bill, context, language):
        doc.paragraph(text, size=small - 0.5)
    doc.ln(6)
    doc.paragraph(
        f"{_l(L_FOR, language)} {bill.supplier_name}\n{_l(L_AUTHORISED_SIGNATORY, language)}",
        size=small,
        align="R",
    )


def _line_table(doc: Document, bill: Bill, context: dict[str, Any], language: Language) -> None:
    taxed = context["taxed"]
    inter = bill.inter_state
    small = doc.body_size - (1.5 if doc.page_spec.width_mm < 200 else 1)
    headings = [
        "#",
        _l(L_DESCRIPTION, language),
        "SAC/HSN",
        _l(L_QTY, language),
        _l(L_PRICE, language),
        _l(L_DISC, language),
        _l(L_VALUE, language),
    ]
    widths = [4, 28, 12, 8, 10, 8, 11]
    if taxed:
        headings += [_l(L_GST, language)]
        widths += [7]
        if inter:
            headings += ["IGST"]
            widths += [9]
        else:
            headings += ["CGST", bill.sgst_label]
            widths += [8, 8]
    headings += [_l(L_AMOUNT, language)]
    widths += [11]
    doc.use_font(small)
    with doc.table(
        col_widths=tuple(widths),
        text_align=("LEFT", "LEFT", "LEFT", *("RIGHT",) * (len(widths) - 3)),
        line_height=doc.line_height(small),
        first_row_as_headings=True,
        headings_style=FontFace(emphasis="BOLD", size_pt=small),
        borders_layout="HORIZONTAL_LINES",
        padding=0.6,
    ) as table:
        row = table.row()
        for heading in headings:
            row.cell(heading)
        for line in context["lines"]:
            row = table.row()
            unit = "" if line.is_service else f" {line.unit}"
            values = [
                str(line.position),
                pick(line.description, line.description_hi, language, separator="\n"),
                line.code,
                f"{_qty(line.quantity)}{unit}",
                inr(line.unit_price),
                inr(line.discount) if line.discount else "",
                inr(line.value),
            ]
            if taxed:
                values.append(
                    _rate(line)
                    if line.taxability == Taxability.TAXABLE
                    else _l(L_EXEMPT, language)
                    if line.taxability == Taxability.EXEMPT
                    else "0%"
                )
                if inter:
                    values.append(inr(line.igst))
                else:
                    values += [inr(line.cgst), inr(line.sgst)]
            values.append(inr(line.total))
            for value in values:
                row.cell(value)


def _thermal(doc: Document, bill: Bill, context: dict[str, Any], language: Language) -> None:
    head = Letterhead.from_facility(bill.facility)
    draw_letterhead(doc, head, language, beside=_head_lines(bill, language))
    if context["cancelled"]:
        _cancelled_banner(doc, language)
    small = doc.body_size - 1.5
    for text in _supplier_lines(bill, language) + _recipient_lines(bill, language):
        doc.paragraph(text, size=small, align="C")
    doc.rule()
    width = doc.content_width
    for line in context["lines"]:
        doc.paragraph(
            f"{line.position}. {pick(line.description, line.description_hi, language)} "
            f"[{line.code}]",
            size=small,
            bold=True,
        )
        detail = f"{_qty(line.quantity)} × {inr(line.unit_price)}"
        if line.discount:
            detail += f" − {inr(line.discount)}"
        if line.taxability == Taxability.TAXABLE and line.rate is not None and context["taxed"]:
            tax = f"GST {_rate(line)}: {inr(line.cgst + line.sgst + line.igst)}"
            detail += f"  ({tax})"
        doc.use_font(small)
        doc.cell(width * 0.68, doc.line_height(small), detail)
        doc.cell(
            width * 0.32,
            doc.line_height(small),
            inr(line.total),
            align="R",
            new_x="LMARGIN",
            new_y="NEXT",
        )
    doc.rule()
    for name, value in _totals(bill, context, language):
        is_total = name.startswith(_l(L_TOTAL, language))
        doc.use_font(small + (1.5 if is_total else 0), bold=is_total)
        doc.cell(width * 0.6, doc.line_height(small), name)
        doc.cell(
            width * 0.4, doc.line_height(small), value, align="R", new_x="LMARGIN", new_y="NEXT"
        )
    for text in _words(bill, language):
        doc.paragraph(text, size=small - 0.5, align="C")
    if not bill.is_correction and not context["cancelled"]:
        doc.paragraph(
            f"{_l(L_PAID, language)}: ₹{inr(context['paid'])} · "
            f"{_l(L_BALANCE_DUE, language)}: ₹{inr(context['due'])}",
            size=small,
            bold=True,
            align="C",
        )
        if context["upi"]:
            size_mm = 34.0
            y = doc.get_y() + 1
            doc.qr(context["upi"], x=(doc.w - size_mm) / 2, y=y, size_mm=size_mm)
            doc.set_y(y + size_mm)
            doc.paragraph(_l(L_SCAN_TO_PAY_BY_UPI, language), size=small, align="C")
    doc.rule()
    for text in _notes(bill, context, language):
        doc.paragraph(text, size=small - 1, align="C")
