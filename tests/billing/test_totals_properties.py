"""Properties of the arithmetic over random bills (calculations.py, no database)."""

from __future__ import annotations

from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from nidaan.billing import calculations
from nidaan.billing.calculations import LineAmounts, LineInput
from nidaan.billing.models import Taxability

money = st.decimals(min_value=D("0.01"), max_value=D("99999.99"), places=2)
rates = st.sampled_from([D(0), D("0.25"), D(3), D(5), D(12), D(18), D(28), D(40)])


@st.composite
def lines(draw: st.DrawFn) -> LineInput:
    quantity = draw(st.decimals(min_value=D("0.001"), max_value=D(500), places=3))
    price = draw(money)
    gross = (quantity * price).quantize(D("0.01"))
    discount = draw(st.decimals(min_value=D(0), max_value=max(gross, D(0)), places=2))
    taxability = draw(st.sampled_from(list(Taxability)))
    rate = draw(rates) if taxability == Taxability.TAXABLE else None
    return LineInput(quantity, price, discount, taxability, rate, draw(st.booleans()))


@given(st.lists(lines(), min_size=1, max_size=15), st.booleans(), st.booleans())
def test_total_is_lines_plus_tax_less_discounts_plus_round_off(
    inputs: list[LineInput], inter_state: bool, round_off: bool
) -> None:
    priced = [(line, calculations.line_amounts(line, inter_state=inter_state)) for line in inputs]
    t = calculations.totals(priced, round_off=round_off)
    values = sum((a.value for _, a in priced), D(0))
    tax = t.cgst + t.sgst + t.igst
    assert t.total == values + tax + t.round_off
    assert t.taxable_value + t.exempt_value + t.nil_value == values
    assert t.gross - t.discount == sum((a.gross - a.discount for _, a in priced), D(0))
    assert abs(t.round_off) < 1
    assert not round_off or t.total == t.total.to_integral_value()
    assert t.cgst == t.sgst
    assert not inter_state or t.cgst == 0
    assert inter_state or t.igst == 0
    for line, a in priced:
        assert a.cgst == a.sgst
        if not line.price_includes_tax:
            assert a.value == a.gross - a.discount
        else:
            # Splitting an inclusive price back never drifts more than a paisa a head.
            assert abs(a.total - (a.gross - a.discount)) <= D("0.02")


@given(lines(), st.lists(st.integers(1, 5), min_size=1, max_size=6), st.booleans())
def test_credits_of_a_line_never_exceed_it(
    line: LineInput, parts: list[int], inter_state: bool
) -> None:
    original = calculations.line_amounts(line, inter_state=inter_state)
    step = line.quantity / sum(parts)
    done_quantity, done = D(0), LineAmounts(*(D(0),) * 6)
    for i, part in enumerate(parts):
        quantity = (
            line.quantity - done_quantity
            if i == len(parts) - 1
            else (step * part).quantize(D("0.001"))
        )
        if quantity <= 0 or done_quantity + quantity > line.quantity:
            continue
        share = calculations.credit_share(original, line.quantity, done, done_quantity, quantity)
        assert share.cgst == share.sgst
        done = LineAmounts(
            *(
                getattr(done, f) + getattr(share, f)
                for f in ("gross", "discount", "value", "cgst", "sgst", "igst")
            )
        )
        done_quantity += quantity
        for name in ("value", "cgst", "sgst", "igst"):
            assert getattr(done, name) <= getattr(original, name)
    assert done_quantity == line.quantity
    assert done.total == original.total
