"""Credit notes (Rule 53): linked to the bill, never more than it, within the time limit;
a cancelled document keeps its number."""

from __future__ import annotations

import datetime
from decimal import Decimal as D

import pytest

from nidaan.billing import actions, queries
from nidaan.billing.actions import BillingError, LineRequest
from nidaan.billing.models import Bill, DocumentType, PaymentKind
from nidaan.core.permissions import Role
from tests.billing.catalogue import Catalogue
from tests.factories import ClinicWorld

DAY = datetime.date(2025, 10, 6)


def _mixed(world: ClinicWorld, catalogue: Catalogue) -> Bill:
    return actions.issue_bill(
        acting_user=world.user(Role.RECEPTIONIST),
        facility=world.facility,
        patient=world.register(name="Geeta"),
        issued_on=DAY,
        lines=[LineRequest(catalogue.consultation), LineRequest(catalogue.paracetamol, D(3))],
    )


def test_credit_note_for_returned_medicine(world: ClinicWorld, catalogue: Catalogue) -> None:
    bill = _mixed(world, catalogue)
    billing = world.user(Role.BILLING)
    medicine = bill.lines.get(position=2)
    note = actions.issue_credit_note(
        bill,
        acting_user=billing,
        reason="one strip returned unopened",
        quantities={medicine.pk: D(1)},
        issued_on=DAY,
    )
    assert note.doc_type == DocumentType.CREDIT_NOTE
    assert note.original == bill
    assert note.number.endswith("/C2526/0001")
    (line,) = note.lines.all()
    # One of three strips: 30.50 taxable, 0.76 + 0.76 (1.525 → half-up per half 0.7625).
    assert (line.value, line.cgst, line.sgst, line.original_line) == (
        D("30.50"),
        D("0.76"),
        D("0.76"),
        medicine,
    )
    assert note.total == D("32.02")


def test_credit_notes_never_exceed_the_bill(world: ClinicWorld, catalogue: Catalogue) -> None:
    bill = _mixed(world, catalogue)
    billing = world.user(Role.BILLING)
    medicine = bill.lines.get(position=2)
    for _ in range(3):
        actions.issue_credit_note(
            bill,
            acting_user=billing,
            reason="returned",
            quantities={medicine.pk: D(1)},
            issued_on=DAY,
        )
    with pytest.raises(BillingError, match="left"):
        actions.issue_credit_note(
            bill, acting_user=billing, reason="again", quantities={medicine.pk: D(1)}, issued_on=DAY
        )
    rest = actions.issue_credit_note(
        bill, acting_user=billing, reason="visit cancelled", issued_on=DAY
    )
    # Everything credited: the notes add up to the bill exactly, round-off included.
    assert queries.credited(bill) == bill.total
    assert rest.lines.get().original_line == bill.lines.get(position=1)
    with pytest.raises(BillingError, match="Nothing is left"):
        actions.issue_credit_note(bill, acting_user=billing, reason="again", issued_on=DAY)


def test_credit_note_after_the_time_limit_is_refused(
    world: ClinicWorld, catalogue: Catalogue
) -> None:
    bill = _mixed(world, catalogue)
    assert actions.credit_note_deadline(bill) == datetime.date(2026, 11, 30)
    with pytest.raises(BillingError, match="s.34"):
        actions.issue_credit_note(
            bill,
            acting_user=world.user(Role.BILLING),
            reason="late",
            issued_on=datetime.date(2026, 12, 1),
        )


def test_refund_with_the_credit_note_pays_back_what_was_overpaid(
    world: ClinicWorld, catalogue: Catalogue
) -> None:
    bill = _mixed(world, catalogue)
    reception = world.user(Role.RECEPTIONIST)
    actions.record_payment(bill, mode="upi", amount=bill.total, acting_user=reception)
    assert queries.balance(bill) == 0
    note = actions.issue_credit_note(
        bill,
        acting_user=reception,
        reason="visit not needed",
        quantities={bill.lines.get(position=1).pk: D(1)},
        refund_mode="cash",
        issued_on=DAY,
    )
    refund = note.payments.get()
    assert (refund.kind, refund.mode, refund.amount) == (PaymentKind.REFUND, "cash", D("500.00"))
    assert queries.balance(bill) == 0


def test_cancelled_bill_keeps_its_number(world: ClinicWorld, catalogue: Catalogue) -> None:
    first = _mixed(world, catalogue)
    actions.cancel_document(first, acting_user=world.user(Role.BILLING), reason="wrong patient")
    second = _mixed(world, catalogue)
    assert (first.serial, second.serial) == (1, 2)
    assert queries.is_cancelled(Bill.objects.get(pk=first.pk))
    with pytest.raises(BillingError, match="is already cancelled"):
        actions.cancel_document(
            Bill.objects.get(pk=first.pk), acting_user=world.user(Role.BILLING), reason="again"
        )


def test_a_paid_bill_is_not_cancelled(world: ClinicWorld, catalogue: Catalogue) -> None:
    bill = _mixed(world, catalogue)
    actions.record_payment(bill, mode="cash", amount=D(100), acting_user=world.user(Role.BILLING))
    with pytest.raises(BillingError, match="credit note instead"):
        actions.cancel_document(bill, acting_user=world.user(Role.BILLING), reason="oops")


def test_overpaid_bill_is_refunded_later_from_its_page_and_the_api(
    world: ClinicWorld, catalogue: Catalogue
) -> None:
    import json

    from django.test import Client

    bill = _mixed(world, catalogue)
    reception = world.user(Role.RECEPTIONIST)
    actions.record_payment(bill, mode="cash", amount=bill.total, acting_user=reception)
    actions.issue_credit_note(
        bill,
        acting_user=reception,
        reason="returned",
        quantities={bill.lines.get(position=2).pk: D(3)},
        issued_on=DAY,
    )
    owed = -queries.balance(bill)
    assert owed > 0
    client = world.client(Role.RECEPTIONIST)
    page = client.get(f"/billing/{bill.pk}/").content.decode()
    assert f'action="/billing/{bill.pk}/refund/"' in page
    client.post(f"/billing/{bill.pk}/refund/", {"refund-mode": "cash", "refund-amount": "50"})
    assert -queries.balance(bill) == owed - 50
    headers = {"Authorization": f"Bearer {world.token(Role.BILLING)}"}
    too_much = Client().post(
        f"/api/v1/bills/{bill.pk}/refunds",
        data=json.dumps({"mode": "upi", "amount": "1000"}),
        content_type="application/json",
        headers=headers,
    )
    assert too_much.status_code == 400
    rest = Client().post(
        f"/api/v1/bills/{bill.pk}/refunds",
        data=json.dumps({"mode": "upi", "amount": str(owed - 50)}),
        content_type="application/json",
        headers=headers,
    )
    assert rest.status_code == 201
    assert rest.json()["balance"] == "0.00"
