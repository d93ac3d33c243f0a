"""Money as the clinic reads it: Indian digit grouping (1,23,456.00), paise half-up."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import format_decimal

PAISA = Decimal("0.01")
RUPEE = Decimal("1")
ZERO = Decimal("0.00")


def paise(value: Decimal) -> Decimal:
    """`value` to the paisa, half-up (0.005 → 0.01), as tax on an invoice is rounded."""
    return value.quantize(PAISA, rounding=ROUND_HALF_UP)


def inr(amount: Decimal) -> str:
    """1,23,456.00: lakh/crore grouping, always two decimals, no symbol."""
    return format_decimal(paise(amount), format="#,##,##0.00", locale="en_IN")


def rupees(amount: Decimal) -> str:
    """₹1,23,456.00 (a minus sign before the symbol for negative amounts)."""
    text = inr(abs(amount))
    return f"-₹{text}" if amount < 0 else f"₹{text}"
