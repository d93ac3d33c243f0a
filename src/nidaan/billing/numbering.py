"""Document numbers: one series per node, document kind and financial year.

Shape `PPPP/Kyyyy/NNNN`, e.g. `V1DN/I2526/0001`: the node's UHID prefix (unique per
node, so two offline nodes never issue the same number), a letter for the kind of
document, the financial year (April–March) and the serial. CGST Rules 46(b)/49/53 ask
for at most 16 characters of letters, digits, `-` and `/`, unique in the financial year;
the NIC schema also forbids a leading `0` (gst.md §1d). That leaves five digits of serial:
99,999 documents of a kind per node per year.

The serial is the series' highest serial + 1, read under this node's write lock in the
transaction that inserts the document: a transaction that dies before committing takes
its number with it, so the series has no gaps and no repeats.
"""

from __future__ import annotations

import datetime
import re
import uuid
from dataclasses import dataclass

from django.db.models import Max

from nidaan.billing.models import Bill, DocumentType
from nidaan.core import node

NUMBER_SHAPE = re.compile(r"^[A-Za-z1-9][A-Za-z0-9/-]{0,15}$")
SERIAL_DIGITS = 4

# Tax invoices and invoices-cum-bills of supply share the invoice series (GSTR-1
# Table 13, "invoices for outward supply"); each other kind has its own.
KIND_LETTER: dict[str, str] = {
    DocumentType.TAX_INVOICE: "I",
    DocumentType.INVOICE_CUM_BILL: "I",
    DocumentType.BILL_OF_SUPPLY: "B",
    DocumentType.RECEIPT: "R",
    DocumentType.CREDIT_NOTE: "C",
    DocumentType.REFUND: "F",
}


class SeriesExhausted(RuntimeError):
    """The series' next number would not fit in 16 characters."""


@dataclass(frozen=True)
class DocumentNumber:
    node_id: uuid.UUID
    series: str
    serial: int
    number: str
    financial_year: str


def financial_year(day: datetime.date) -> tuple[int, int]:
    """(first, last) calendar years of the April–March year `day` falls in."""
    first = day.year if day.month >= 4 else day.year - 1
    return first, first + 1


def financial_year_label(day: datetime.date) -> str:
    first, last = financial_year(day)
    return f"{first}-{last % 100:02d}"


def series_for(prefix: str, doc_type: str, day: datetime.date) -> str:
    first, last = financial_year(day)
    series = f"{prefix}/{KIND_LETTER[doc_type]}{first % 100:02d}{last % 100:02d}/"
    if not NUMBER_SHAPE.match(series.rstrip("/") + "1"):
        raise ValueError(f"node prefix {prefix!r} cannot start a GST document series")
    return series


def format_number(series: str, serial: int) -> str:
    number = f"{series}{serial:0{SERIAL_DIGITS}d}"
    if len(number) > 16 or not NUMBER_SHAPE.match(number):
        raise SeriesExhausted(f"{number} is longer than GST's 16 characters")
    return number


def allocate(organisation_id: uuid.UUID, doc_type: str, day: datetime.date) -> DocumentNumber:
    """The next number of this node's series; call inside the issuing transaction."""
    node.serialise_writes()
    state = node.identity()
    series = series_for(state.uhid_prefix, doc_type, day)
    last = Bill.objects.filter(organisation_id=organisation_id, series=series).aggregate(
        last=Max("serial")
    )["last"]
    serial = (last or 0) + 1
    return DocumentNumber(
        node_id=state.node_id,
        series=series,
        serial=serial,
        number=format_number(series, serial),
        financial_year=financial_year_label(day),
    )
