"""UPI payment QR: a `upi://pay` link for the exact amount due, with the clinic's VPA
and the bill number as the reference, readable by every UPI app (NPCI linking spec)."""

from __future__ import annotations

import io
from decimal import Decimal
from urllib.parse import quote

import segno

from nidaan.billing.models import Bill, GstProfile
from nidaan.billing.money import paise


def upi_uri(profile: GstProfile, bill: Bill, amount: Decimal) -> str:
    """The payment link, or "" when the clinic has no UPI ID or nothing is due."""
    if not profile.upi_vpa or amount <= 0:
        return ""
    params = {
        "pa": profile.upi_vpa,
        "pn": profile.upi_payee_name or profile.trade_name or profile.legal_name,
        "am": f"{paise(amount):.2f}",
        "cu": "INR",
        "tn": f"Bill {bill.number}",
        "tr": bill.number,
    }
    return "upi://pay?" + "&".join(f"{k}={quote(v, safe='')}" for k, v in params.items() if v)


def qr_svg(data: str, scale: int = 4) -> str:
    """The QR code as inline SVG markup for a page."""
    out = io.BytesIO()
    segno.make(data, error="m").save(
        out, kind="svg", scale=scale, xmldecl=False, svgns=True, border=2
    )
    return out.getvalue().decode()
