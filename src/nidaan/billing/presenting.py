"""A document as the API, the pages and the printouts show it: one dictionary."""

from __future__ import annotations

from typing import Any

from nidaan.billing import queries
from nidaan.billing.models import UTGST_STATES, Bill, DocumentType
from nidaan.billing.upi import upi_uri
from nidaan.billing.words import amount_in_words
from nidaan.clinics.states import State


def state_name(code: str) -> str:
    try:
        return str(State(code).label)
    except ValueError:
        return code


def money(value: Any) -> str:
    return f"{value:.2f}"


def bill_json(bill: Bill) -> dict[str, Any]:
    """Everything the rule for the document's type asks to be shown, and its state now."""
    profile = queries.gst_profile(bill.organisation)
    cancelled = queries.is_cancelled(bill)
    due = queries.balance(bill) if not bill.is_correction else None
    lines = [
        {
            "position": line.position,
            "entry_id": line.entry_id,
            "original_line_id": line.original_line_id,
            "description": line.description,
            "description_hi": line.description_hi,
            "sac_hsn": line.code,
            "is_service": line.is_service,
            "quantity": f"{line.quantity.normalize():f}",
            "unit": line.unit,
            "unit_price": money(line.unit_price),
            "price_includes_tax": line.price_includes_tax,
            "taxability": line.taxability,
            "rate": None if line.rate is None else f"{line.rate.normalize():f}",
            "gross": money(line.gross),
            "discount": money(line.discount),
            "value": money(line.value),
            "cgst": money(line.cgst),
            "sgst": money(line.sgst),
            "igst": money(line.igst),
            "total": money(line.total),
        }
        for line in bill.lines.all()
    ]
    return {
        "id": bill.pk,
        "type": bill.doc_type,
        "type_label": str(DocumentType(bill.doc_type).label),
        "number": bill.number,
        "date": bill.issued_on,
        "financial_year": bill.financial_year,
        "status": "cancelled" if cancelled else "issued",
        "original": (
            {
                "id": bill.original.pk,
                "number": bill.original.number,
                "date": bill.original.issued_on,
            }
            if bill.original
            else None
        ),
        "reason": bill.reason,
        "patient_id": bill.patient_id,
        "recipient": {
            "name": bill.recipient_name,
            "address": bill.recipient_address,
            "state": bill.recipient_state,
            "gstin": bill.recipient_gstin,
        },
        "supplier": {
            "name": bill.supplier_name,
            "trade_name": bill.supplier_trade_name,
            "address": bill.supplier_address,
            "state": bill.supplier_state,
            "state_name": state_name(bill.supplier_state),
            "gstin": bill.supplier_gstin,
            "composition": bill.composition,
        },
        "place_of_supply": bill.place_of_supply,
        "place_of_supply_name": state_name(bill.place_of_supply),
        "inter_state": bill.inter_state,
        "reverse_charge": bill.reverse_charge,
        "sgst_label": "UTGST" if bill.supplier_state in UTGST_STATES else "SGST",
        "lines": lines,
        "totals": {
            name: money(getattr(bill, name))
            for name in (
                "gross",
                "discount",
                "taxable_value",
                "exempt_value",
                "nil_value",
                "cgst",
                "sgst",
                "igst",
                "round_off",
                "total",
            )
        },
        "amount_in_words": {
            "en": amount_in_words(bill.total, "en"),
            "hi": amount_in_words(bill.total, "hi"),
        },
        "balance": None if due is None else money(due),
        "upi": upi_uri(profile, bill, due) if due is not None and not cancelled else "",
    }
