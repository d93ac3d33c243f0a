"""GST arithmetic, with `Decimal` only, and nowhere else (gst.md §4).

Per line: amount = quantity × price (to the paisa) − discount. A taxed line's taxable
value is that amount, or for a price that includes GST, amount × 100 / (100 + rate).
Intra-state, CGST and SGST/UTGST are each taxable × rate/2, rounded half-up to the
paisa, so the halves are always equal; inter-state, IGST is taxable × rate. The bill's
total is the sum of line totals, optionally rounded to the rupee with the difference
shown as its own round-off line (|round-off| ≤ 0.50).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from nidaan.billing.models import Taxability
from nidaan.billing.money import RUPEE, ZERO, paise

HUNDRED = Decimal(100)


class TaxError(ValueError):
    """A line that cannot be taxed as asked, said plainly."""


@dataclass(frozen=True)
class LineInput:
    quantity: Decimal
    unit_price: Decimal
    discount: Decimal
    taxability: str
    rate: Decimal | None  # None for exempt/nil lines, and when the clinic charges no tax
    price_includes_tax: bool = False


@dataclass(frozen=True)
class LineAmounts:
    gross: Decimal
    discount: Decimal
    value: Decimal
    cgst: Decimal
    sgst: Decimal
    igst: Decimal

    @property
    def tax(self) -> Decimal:
        return self.cgst + self.sgst + self.igst

    @property
    def total(self) -> Decimal:
        return self.value + self.tax


@dataclass(frozen=True)
class Totals:
    gross: Decimal
    discount: Decimal
    taxable_value: Decimal
    exempt_value: Decimal
    nil_value: Decimal
    cgst: Decimal
    sgst: Decimal
    igst: Decimal
    round_off: Decimal
    total: Decimal


def split_tax(value: Decimal, rate: Decimal, *, inter_state: bool) -> tuple[Decimal, ...]:
    """(cgst, sgst, igst) on a taxable value."""
    if inter_state:
        return ZERO, ZERO, paise(value * rate / HUNDRED)
    half = paise(value * rate / 2 / HUNDRED)
    return half, half, ZERO


def line_amounts(line: LineInput, *, inter_state: bool) -> LineAmounts:
    if line.quantity <= 0:
        raise TaxError(_("The quantity must be more than zero."))
    if line.unit_price < 0 or line.discount < 0:
        raise TaxError(_("Prices and discounts cannot be negative."))
    gross = paise(line.quantity * line.unit_price)
    discount = paise(line.discount)
    if discount > gross:
        raise TaxError(_("The discount is more than the line's amount."))
    amount = gross - discount
    taxed = line.taxability == Taxability.TAXABLE and line.rate is not None
    if not taxed or line.rate is None:
        return LineAmounts(gross, discount, amount, ZERO, ZERO, ZERO)
    rate = line.rate
    value = paise(amount * HUNDRED / (HUNDRED + rate)) if line.price_includes_tax else amount
    cgst, sgst, igst = split_tax(value, rate, inter_state=inter_state)
    return LineAmounts(gross, discount, value, cgst, sgst, igst)


def round_to_rupee(amount: Decimal) -> Decimal:
    """The round-off that brings `amount` to the nearest rupee (50 paise up, s.170)."""
    return amount.quantize(RUPEE, rounding=ROUND_HALF_UP) - amount


def totals(lines: Iterable[tuple[LineInput, LineAmounts]], *, round_off: bool) -> Totals:
    rows = list(lines)

    def total_of(kind: str) -> Decimal:
        return sum((a.value for line, a in rows if line.taxability == kind), ZERO)

    taxed = [(line, a) for line, a in rows if line.taxability == Taxability.TAXABLE]
    before = sum((a.total for _, a in rows), ZERO)
    adjustment = round_to_rupee(before) if round_off else ZERO
    return Totals(
        gross=sum((a.gross for _, a in rows), ZERO),
        discount=sum((a.discount for _, a in rows), ZERO),
        taxable_value=sum((a.value for _, a in taxed), ZERO),
        exempt_value=total_of(Taxability.EXEMPT),
        nil_value=total_of(Taxability.NIL),
        cgst=sum((a.cgst for _, a in rows), ZERO),
        sgst=sum((a.sgst for _, a in rows), ZERO),
        igst=sum((a.igst for _, a in rows), ZERO),
        round_off=adjustment,
        total=before + adjustment,
    )


def credit_share(
    original: LineAmounts,
    original_quantity: Decimal,
    credited: LineAmounts,
    credited_quantity: Decimal,
    quantity: Decimal,
) -> LineAmounts:
    """The part of an original line that crediting `quantity` more of it takes.

    Proportional to the quantity, each amount rounded half-up and never more than what
    is left; the last of the quantity takes exactly what is left, so the credits of a
    line add up to the line and never exceed it.
    """
    left = original_quantity - credited_quantity
    if quantity <= 0 or quantity > left:
        raise TaxError(_("That is more than is left of the line to credit."))

    def part(whole: Decimal, done: Decimal) -> Decimal:
        remaining = whole - done
        if quantity == left:
            return remaining
        return min(paise(whole * quantity / original_quantity), remaining)

    gross = part(original.gross, credited.gross)
    discount = part(original.discount, credited.discount)
    return LineAmounts(
        gross=gross,
        discount=discount,
        value=part(original.value, credited.value),
        cgst=part(original.cgst, credited.cgst),
        sgst=part(original.sgst, credited.sgst),
        igst=part(original.igst, credited.igst),
    )
