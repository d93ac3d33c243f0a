"""Property: whatever credit notes are issued against a bill, in whatever parts, they
never take more than the bill, line by line and in total; crediting all of it takes
exactly the bill, round-off included."""

from __future__ import annotations

from decimal import Decimal as D

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nidaan.billing import actions, queries
from nidaan.billing.actions import BillingError, LineRequest
from nidaan.billing.models import BillLine
from nidaan.core.permissions import Role
from tests.billing.catalogue import Catalogue
from tests.factories import ClinicWorld

ITEMS = ["consultation", "dressing", "paracetamol", "amoxicillin", "cosmetic"]


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    lines=st.lists(
        st.tuples(st.sampled_from(ITEMS), st.integers(1, 7), st.integers(0, 30)),
        min_size=1,
        max_size=4,
        unique_by=lambda line: line[0],
    ),
    credits=st.lists(st.lists(st.integers(0, 8), min_size=4, max_size=4), max_size=5),
)
def test_credit_notes_never_exceed_the_bill(
    world: ClinicWorld,
    catalogue: Catalogue,
    lines: list[tuple[str, int, int]],
    credits: list[list[int]],
) -> None:
    billing = world.user(Role.BILLING)
    requests = []
    for name, quantity, discount_percent in lines:
        entry = getattr(catalogue, name)
        gross = entry.price * quantity
        requests.append(
            LineRequest(entry, D(quantity), (gross * discount_percent / 100).quantize(D("0.01")))
        )
    bill = actions.issue_bill(
        acting_user=billing, facility=world.facility, patient=None, lines=requests
    )
    bill_lines = list(bill.lines.all())
    for wanted in credits:
        quantities = {line.pk: D(q) for line, q in zip(bill_lines, wanted, strict=False) if q}
        if not quantities:
            continue
        try:
            actions.issue_credit_note(
                bill, acting_user=billing, reason="returned", quantities=quantities
            )
        except BillingError:
            pass  # more than is left of a line: refused, nothing written
        assert queries.credited(bill) <= bill.total
        for line in bill_lines:
            credited = BillLine.objects.filter(original_line=line)
            assert sum((c.quantity for c in credited), D(0)) <= line.quantity
            assert sum((c.total for c in credited), D(0)) <= line.total
            assert all(c.cgst == c.sgst for c in credited)
    if queries.credited(bill) < bill.total:
        actions.issue_credit_note(bill, acting_user=billing, reason="all the rest")
    assert queries.credited(bill) == bill.total
