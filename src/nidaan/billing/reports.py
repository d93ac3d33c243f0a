"""Reports: the day-end collection by mode and user, GSTR-1 JSON and CSV for a month,
and the income-tax daily case register (Form 3C, Rule 6F)."""

from __future__ import annotations

import csv
import datetime
import io
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from nidaan.accounts.models import User
from nidaan.billing.models import (
    Bill,
    BillLine,
    CashCount,
    DocumentType,
    Payment,
    PaymentKind,
    PaymentMode,
    Taxability,
)
from nidaan.billing.money import ZERO
from nidaan.billing.queries import gst_profile
from nidaan.clinics.models import Facility, Organisation

# B2C inter-state invoices above this go to B2CL (Notification 12/2024-CT, gst.md §5).
B2CL_THRESHOLD = Decimal("100000")
INVOICES = (
    DocumentType.TAX_INVOICE,
    DocumentType.INVOICE_CUM_BILL,
    DocumentType.BILL_OF_SUPPLY,
    DocumentType.RECEIPT,
)
# GSTR-1 Table 13 document kinds.
DOC_NUM: dict[str, int] = {
    DocumentType.TAX_INVOICE: 1,
    DocumentType.INVOICE_CUM_BILL: 1,
    DocumentType.BILL_OF_SUPPLY: 1,
    DocumentType.CREDIT_NOTE: 5,
    DocumentType.REFUND: 8,
}


# --- day end --------------------------------------------------------------------------


def _day_payments(facility: Facility, day: datetime.date) -> list[Payment]:
    return list(
        Payment.objects.filter(facility=facility, day=day)
        .select_related("received_by", "bill")
        .order_by("received_at")
    )


def expected_cash(facility: Facility, cashier: User, day: datetime.date) -> Decimal:
    """Cash the user took in less the cash they paid out on `day`."""
    rows = Payment.objects.filter(
        facility=facility, day=day, received_by=cashier, mode=PaymentMode.CASH
    )
    return sum((p.signed_amount for p in rows), ZERO)


@dataclass
class CashierDay:
    user: User
    by_mode: dict[str, Decimal] = field(default_factory=dict)
    refunds: Decimal = ZERO
    count: CashCount | None = None

    @property
    def net(self) -> Decimal:
        """Money that changed hands: paying from an advance moves none."""
        return sum((v for m, v in self.by_mode.items() if m != PaymentMode.ADVANCE), ZERO)

    @property
    def expected_cash(self) -> Decimal:
        return self.by_mode.get(PaymentMode.CASH, ZERO)


@dataclass
class DayEnd:
    day: datetime.date
    cashiers: list[CashierDay]
    by_mode: dict[str, Decimal]
    documents: dict[str, tuple[int, Decimal]]
    cancelled: list[Bill]
    payments: list[Payment]

    @property
    def net(self) -> Decimal:
        return sum((v for m, v in self.by_mode.items() if m != PaymentMode.ADVANCE), ZERO)


def day_end(facility: Facility, day: datetime.date) -> DayEnd:
    """What came in and went out on `day` at `facility`, per user and per mode (money
    in minus refunds out; "from advance" moves no money and is shown apart)."""
    payments = _day_payments(facility, day)
    cashiers: dict[Any, CashierDay] = {}
    by_mode: dict[str, Decimal] = {mode: ZERO for mode in PaymentMode.values}
    for p in payments:
        row = cashiers.setdefault(p.received_by_id, CashierDay(user=p.received_by))
        row.by_mode[p.mode] = row.by_mode.get(p.mode, ZERO) + p.signed_amount
        if p.kind == PaymentKind.REFUND:
            row.refunds += p.amount
        by_mode[p.mode] += p.signed_amount
    for count in CashCount.objects.filter(facility=facility, day=day).order_by("recorded_at"):
        if count.cashier_id in cashiers:
            cashiers[count.cashier_id].count = count
    documents: dict[str, tuple[int, Decimal]] = {}
    cancelled = []
    for bill in Bill.objects.filter(facility=facility, issued_on=day).select_related(
        "cancellation"
    ):
        if hasattr(bill, "cancellation"):
            cancelled.append(bill)
            continue
        count_, total = documents.get(bill.doc_type, (0, ZERO))
        documents[bill.doc_type] = (count_ + 1, total + bill.total)
    return DayEnd(
        day=day,
        cashiers=sorted(cashiers.values(), key=lambda c: c.user.get_full_name()),
        by_mode=by_mode,
        documents=documents,
        cancelled=cancelled,
        payments=payments,
    )


# --- GSTR-1 ---------------------------------------------------------------------------


def parse_period(period: str) -> tuple[datetime.date, datetime.date]:
    """`MMYYYY` → first and last day of that month; ValueError when it is not one."""
    if len(period) != 6 or not period.isdigit():
        raise ValueError("the period is MMYYYY, e.g. 092025")
    month, year = int(period[:2]), int(period[2:])
    if not 1 <= month <= 12 or year < 2017:
        raise ValueError("the period is MMYYYY, e.g. 092025")
    first = datetime.date(year, month, 1)
    nxt = datetime.date(year + (month == 12), month % 12 + 1, 1)
    return first, nxt - datetime.timedelta(days=1)


def _n(value: Decimal) -> float:
    """GSTR-1 amounts: JSON numbers with two decimals."""
    return float(value.quantize(Decimal("0.01")))


def _rate(value: Decimal | None) -> float | int:
    rate = value or Decimal(0)
    return int(rate) if rate == rate.to_integral_value() else float(rate)


def _date(day: datetime.date) -> str:
    return day.strftime("%d-%m-%Y")


def _month_documents(
    organisation: Organisation, first: datetime.date, last: datetime.date
) -> list[Bill]:
    return list(
        Bill.objects.filter(organisation=organisation, issued_on__range=(first, last))
        .select_related("cancellation", "original")
        .prefetch_related("lines")
        .order_by("issued_on", "series", "serial")
    )


def _rate_items(lines: list[BillLine]) -> list[dict[str, Any]]:
    """Taxed lines grouped by rate: GSTR-1's `itms` (num, itm_det)."""
    groups: dict[Decimal, list[BillLine]] = defaultdict(list)
    for line in lines:
        if line.taxability == Taxability.TAXABLE:
            groups[line.rate or Decimal(0)].append(line)
    items = []
    for num, (rate, rows) in enumerate(sorted(groups.items()), start=1):
        items.append(
            {
                "num": num,
                "itm_det": {
                    "rt": _rate(rate),
                    "txval": _n(sum((r.value for r in rows), ZERO)),
                    "iamt": _n(sum((r.igst for r in rows), ZERO)),
                    "camt": _n(sum((r.cgst for r in rows), ZERO)),
                    "samt": _n(sum((r.sgst for r in rows), ZERO)),
                    "csamt": 0,
                },
            }
        )
    return items


def _is_b2cl(bill: Bill) -> bool:
    invoice = bill.original if bill.original is not None else bill
    return not invoice.b2b and invoice.inter_state and invoice.total > B2CL_THRESHOLD


class NoGstr1(ValueError):
    """This clinic files no GSTR-1: not registered, or under the composition scheme."""


def gstr1(organisation: Organisation, period: str) -> dict[str, Any]:
    """The month's GSTR-1 in the portal's JSON keys (gst.md §5)."""
    first, last = parse_period(period)
    profile = gst_profile(organisation)
    if not profile.registered:
        raise NoGstr1(_("A clinic not registered for GST files no GSTR-1."))
    if profile.composition:
        # Composition taxpayers report quarterly on CMP-08 and yearly on GSTR-4.
        raise NoGstr1(
            _("A clinic under the composition scheme files CMP-08 and GSTR-4, not GSTR-1.")
        )
    documents = _month_documents(organisation, first, last)
    live = [d for d in documents if not hasattr(d, "cancellation")]
    b2b: dict[str, list[dict[str, Any]]] = defaultdict(list)
    b2cl: dict[str, list[dict[str, Any]]] = defaultdict(list)
    cdnr: dict[str, list[dict[str, Any]]] = defaultdict(list)
    cdnur: list[dict[str, Any]] = []
    b2cs: dict[tuple[str, str, Decimal], dict[str, Decimal]] = {}
    nil: dict[str, dict[str, Decimal]] = {}
    hsn: dict[str, dict[tuple[str, str, Decimal], dict[str, Any]]] = {"b2b": {}, "b2c": {}}

    for doc in live:
        if doc.doc_type == DocumentType.RECEIPT or doc.doc_type == DocumentType.REFUND:
            continue  # an unregistered clinic's papers are not GST returns
        lines = list(doc.lines.all())
        sign = Decimal(-1) if doc.is_correction else Decimal(1)
        items = _rate_items(lines)
        if doc.is_correction:
            note = {
                "ntty": "C",
                "nt_num": doc.number,
                "nt_dt": _date(doc.issued_on),
                "val": _n(doc.total),
                "pos": doc.place_of_supply,
                "rchrg": "N",
                "itms": items,
            }
            if doc.b2b:
                cdnr[doc.recipient_gstin].append({**note, "inv_typ": "R"})
            elif _is_b2cl(doc):
                cdnur.append({"typ": "B2CL", **note})
        elif items:
            invoice = {
                "inum": doc.number,
                "idt": _date(doc.issued_on),
                "val": _n(doc.total),
                "pos": doc.place_of_supply,
            }
            if doc.b2b:
                b2b[doc.recipient_gstin].append(
                    {**invoice, "rchrg": "N", "inv_typ": "R", "itms": items}
                )
            elif _is_b2cl(doc):
                b2cl[doc.place_of_supply].append(
                    {k: v for k, v in invoice.items() if k != "pos"}
                    | {
                        "itms": [
                            {
                                "num": i["num"],
                                "itm_det": {
                                    k: i["itm_det"][k] for k in ("rt", "txval", "iamt", "csamt")
                                },
                            }
                            for i in items
                        ]
                    }
                )
        for line in lines:
            kind = "b2b" if doc.b2b else "b2c"
            if line.taxability == Taxability.TAXABLE:
                if not doc.b2b and not _is_b2cl(doc):
                    # B2C small: net of credit notes, by supply type, POS and rate.
                    key = (
                        "INTER" if doc.inter_state else "INTRA",
                        doc.place_of_supply,
                        line.rate or Decimal(0),
                    )
                    amounts = b2cs.setdefault(key, defaultdict(lambda: ZERO))
                    for name in ("value", "cgst", "sgst", "igst"):
                        amounts[name] += sign * getattr(line, name)
            else:
                supply = ("INTR" if doc.inter_state else "INTRA") + ("B2B" if doc.b2b else "B2C")
                untaxed = nil.setdefault(supply, defaultdict(lambda: ZERO))
                untaxed["nil" if line.taxability == Taxability.NIL else "exempt"] += (
                    sign * line.value
                )
            hsn_key = (line.code, line.unit if not line.is_service else "NA", line.rate or ZERO)
            summary = hsn[kind].setdefault(
                hsn_key,
                {
                    "desc": line.description,
                    "qty": ZERO,
                    "txval": ZERO,
                    "iamt": ZERO,
                    "camt": ZERO,
                    "samt": ZERO,
                },
            )
            summary["qty"] += sign * (ZERO if line.is_service else line.quantity)
            summary["txval"] += sign * line.value
            summary["iamt"] += sign * line.igst
            summary["camt"] += sign * line.cgst
            summary["samt"] += sign * line.sgst

    def hsn_rows(rows: dict[tuple[str, str, Decimal], dict[str, Any]]) -> list[dict[str, Any]]:
        out = []
        for num, ((code, uqc, rate), s) in enumerate(sorted(rows.items()), start=1):
            out.append(
                {
                    "num": num,
                    "hsn_sc": code,
                    "desc": s["desc"][:30],
                    "uqc": uqc,
                    "qty": float(s["qty"]),
                    "rt": _rate(rate),
                    "txval": _n(s["txval"]),
                    "iamt": _n(s["iamt"]),
                    "camt": _n(s["camt"]),
                    "samt": _n(s["samt"]),
                    "csamt": 0,
                }
            )
        return out

    result: dict[str, Any] = {"gstin": profile.gstin, "fp": period, "version": "GST3.2.1"}
    if b2b:
        result["b2b"] = [{"ctin": ctin, "inv": inv} for ctin, inv in sorted(b2b.items())]
    if b2cl:
        result["b2cl"] = [{"pos": pos, "inv": inv} for pos, inv in sorted(b2cl.items())]
    if b2cs:
        rows = []
        for (supply, pos, rate), amounts in sorted(b2cs.items()):
            row: dict[str, Any] = {
                "sply_ty": supply,
                "pos": pos,
                "typ": "OE",
                "rt": _rate(rate),
                "txval": _n(amounts["value"]),
            }
            if supply == "INTER":
                row["iamt"] = _n(amounts["igst"])
            else:
                row["camt"] = _n(amounts["cgst"])
                row["samt"] = _n(amounts["sgst"])
            row["csamt"] = 0
            rows.append(row)
        result["b2cs"] = rows
    if nil:
        result["nil"] = {
            "inv": [
                {
                    "sply_ty": supply,
                    "expt_amt": _n(a["exempt"]),
                    "nil_amt": _n(a["nil"]),
                    "ngsup_amt": 0,
                }
                for supply, a in sorted(nil.items())
            ]
        }
    if cdnr:
        result["cdnr"] = [{"ctin": ctin, "nt": nt} for ctin, nt in sorted(cdnr.items())]
    if cdnur:
        result["cdnur"] = cdnur
    if hsn["b2b"] or hsn["b2c"]:
        result["hsn"] = {"hsn_b2b": hsn_rows(hsn["b2b"]), "hsn_b2c": hsn_rows(hsn["b2c"])}
    docs = doc_issue(documents)
    if docs:
        result["doc_issue"] = {"doc_det": docs}
    return result


def doc_issue(documents: list[Bill]) -> list[dict[str, Any]]:
    """GSTR-1 Table 13: each series' first and last number, count and cancelled."""
    series: dict[tuple[int, str], list[Bill]] = defaultdict(list)
    for doc in documents:
        if doc.doc_type in DOC_NUM:
            series[(DOC_NUM[doc.doc_type], doc.series)].append(doc)
    per_kind: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for (kind, _series), docs in sorted(series.items()):
        docs.sort(key=lambda d: d.serial)
        cancelled = sum(1 for d in docs if hasattr(d, "cancellation"))
        per_kind[kind].append(
            {
                "num": len(per_kind[kind]) + 1,
                "from": docs[0].number,
                "to": docs[-1].number,
                "totnum": len(docs),
                "cancel": cancelled,
                "net_issue": len(docs) - cancelled,
            }
        )
    return [{"doc_num": kind, "docs": rows} for kind, rows in sorted(per_kind.items())]


CSV_COLUMNS = [
    "document_type",
    "number",
    "date",
    "status",
    "original_number",
    "recipient",
    "recipient_gstin",
    "place_of_supply",
    "description",
    "sac_hsn",
    "quantity",
    "unit",
    "gst_status",
    "rate",
    "value",
    "cgst",
    "sgst_utgst",
    "igst",
    "line_total",
    "round_off",
    "document_total",
]


def gstr1_csv(organisation: Organisation, period: str) -> str:
    """One row per line of every document of the month, for the accountant's sheet."""
    first, last = parse_period(period)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for doc in _month_documents(organisation, first, last):
        status = "cancelled" if hasattr(doc, "cancellation") else "issued"
        for i, line in enumerate(doc.lines.all()):
            writer.writerow(
                [
                    doc.doc_type,
                    doc.number,
                    _date(doc.issued_on),
                    status,
                    doc.original.number if doc.original else "",
                    doc.recipient_name,
                    doc.recipient_gstin,
                    doc.place_of_supply,
                    line.description,
                    line.code,
                    line.quantity.normalize(),
                    line.unit,
                    line.taxability,
                    "" if line.rate is None else line.rate,
                    line.value,
                    line.cgst,
                    line.sgst,
                    line.igst,
                    line.total,
                    doc.round_off if i == 0 else "",
                    doc.total if i == 0 else "",
                ]
            )
    return out.getvalue()


# --- Form 3C --------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseRow:
    serial: int
    day: datetime.date
    patient: str
    service: str
    fee: Decimal
    received_on: str


def form_3c(facility: Facility, first: datetime.date, last: datetime.date) -> list[CaseRow]:
    """Income-tax Rule 6F(3)(i) daily case register: date, patient, professional
    service, fee and date of receipt, one row per service billed (credit notes as
    negative fees); goods sold are not professional services and are left out."""
    rows: list[CaseRow] = []
    bills = (
        Bill.objects.filter(facility=facility, issued_on__range=(first, last))
        .select_related("cancellation", "original")
        .prefetch_related("lines", "payments")
        .order_by("issued_on", "issued_at")
    )
    for bill in bills:
        if hasattr(bill, "cancellation"):
            continue
        sign = Decimal(-1) if bill.is_correction else Decimal(1)
        receipts = sorted(
            {p.day for p in bill.payments.all()}
            | ({p.day for p in bill.original.payments.all()} if bill.original else set())
        )
        received = ", ".join(_date(day) for day in receipts)
        for line in bill.lines.all():
            if not line.is_service:
                continue
            rows.append(
                CaseRow(
                    len(rows) + 1,
                    bill.issued_on,
                    bill.recipient_name,
                    line.description,
                    sign * line.total,
                    received,
                )
            )
    return rows


def form_3c_csv(rows: list[CaseRow]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["serial", "date", "patient", "service", "fee", "date_of_receipt"])
    for row in rows:
        writer.writerow(
            [row.serial, _date(row.day), row.patient, row.service, row.fee, row.received_on]
        )
    return out.getvalue()
