"""Partial payments, dues per patient, advance deposits and their use, refunds."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from nidaan.billing import actions, queries
from nidaan.billing.actions import BillingError, LineRequest
from nidaan.core.permissions import Role
from tests.billing.catalogue import Catalogue
from tests.factories import ClinicWorld


def test_partial_payments_leave_dues(world: ClinicWorld, catalogue: Catalogue) -> None:
    reception = world.user(Role.RECEPTIONIST)
    patient = world.register(name="Mohan Lal")
    bill = actions.issue_bill(
        acting_user=reception,
        facility=world.facility,
        patient=patient,
        lines=[LineRequest(catalogue.consultation), LineRequest(catalogue.dressing)],
    )
    actions.record_payment(bill, mode="cash", amount=D(400), acting_user=reception)
    assert queries.balance(bill) == D("250.00")
    assert queries.patient_dues(patient.pk) == D("250.00")
    with pytest.raises(BillingError, match="Only ₹250.00 is due"):
        actions.record_payment(bill, mode="upi", amount=D(300), acting_user=reception)
    actions.record_payment(
        bill, mode="card", amount=D(250), acting_user=reception, reference="4242"
    )
    assert queries.patient_dues(patient.pk) == 0


def test_advance_pays_a_bill_and_the_rest_is_refunded(
    world: ClinicWorld, catalogue: Catalogue
) -> None:
    reception = world.user(Role.RECEPTIONIST)
    patient = world.register(name="Kamla")
    actions.record_advance(
        patient, facility=world.facility, mode="cash", amount=D(1000), acting_user=reception
    )
    bill = actions.issue_bill(
        acting_user=reception,
        facility=world.facility,
        patient=patient,
        lines=[LineRequest(catalogue.consultation)],
    )
    actions.record_payment(bill, mode="advance", amount=D(500), acting_user=reception)
    assert queries.balance(bill) == 0
    assert queries.advance_balance(patient.pk) == D("500.00")
    with pytest.raises(BillingError, match="more than the patient's advance"):
        actions.refund(
            None,
            patient=patient,
            facility=world.facility,
            mode="cash",
            amount=D(600),
            acting_user=reception,
        )
    actions.refund(
        None,
        patient=patient,
        facility=world.facility,
        mode="cash",
        amount=D(500),
        acting_user=reception,
    )
    assert queries.advance_balance(patient.pk) == 0


def test_zero_or_unknown_mode_is_refused(world: ClinicWorld, catalogue: Catalogue) -> None:
    reception = world.user(Role.RECEPTIONIST)
    bill = actions.issue_bill(
        acting_user=reception,
        facility=world.facility,
        patient=world.register(name="Ravi"),
        lines=[LineRequest(catalogue.consultation)],
    )
    with pytest.raises(BillingError, match="more than zero"):
        actions.record_payment(bill, mode="cash", amount=D(0), acting_user=reception)
    with pytest.raises(BillingError, match="cash, UPI"):
        actions.record_payment(bill, mode="cheque", amount=D(10), acting_user=reception)


def test_account_page_takes_and_returns_an_advance(
    world: ClinicWorld, catalogue: Catalogue
) -> None:
    patient = world.register(name="Pushpa")
    client = world.client(Role.RECEPTIONIST)
    url = f"/billing/patients/{patient.pk}/"
    taken = client.post(url, {"kind": "advance", "advance-mode": "cash", "advance-amount": "2000"})
    assert taken.status_code == 302
    too_much = client.post(url, {"kind": "refund", "refund-mode": "cash", "refund-amount": "2500"})
    assert "more than the patient&#x27;s advance" in too_much.content.decode()
    client.post(url, {"kind": "refund", "refund-mode": "upi", "refund-amount": "500"})
    page = client.get(url).content.decode()
    assert "₹1,500.00" in page
    assert queries.advance_balance(patient.pk) == D("1500.00")


def test_account_api_shows_dues_and_advance(world: ClinicWorld, catalogue: Catalogue) -> None:
    import json

    from django.test import Client

    patient = world.register(name="Kusum")
    reception = world.user(Role.RECEPTIONIST)
    actions.issue_bill(
        acting_user=reception,
        facility=world.facility,
        patient=patient,
        lines=[LineRequest(catalogue.consultation)],
    )
    headers = {"Authorization": f"Bearer {world.token(Role.RECEPTIONIST)}"}
    taken = Client().post(
        f"/api/v1/patients/{patient.pk}/advances",
        data=json.dumps({"mode": "upi", "amount": "1000"}),
        content_type="application/json",
        headers=headers,
    )
    assert taken.status_code == 201
    assert (taken.json()["dues"], taken.json()["advance"]) == ("500.00", "1000.00")
    assert taken.json()["bills"][0]["balance"] == "500.00"
