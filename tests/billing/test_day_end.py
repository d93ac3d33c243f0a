"""The day end adds up: per user and per mode, refunds out, cash against the count;
Form 3C lists the day's professional services with their dates of receipt."""

from __future__ import annotations

import datetime
from decimal import Decimal as D

from django.utils import timezone

from nidaan.billing import actions, reports
from nidaan.billing.actions import LineRequest
from nidaan.core.permissions import Role
from tests.billing.catalogue import Catalogue
from tests.factories import ClinicWorld


def test_day_end_adds_up_by_user_and_mode(world: ClinicWorld, catalogue: Catalogue) -> None:
    reception, pharmacy = world.user(Role.RECEPTIONIST), world.user(Role.PHARMACIST)
    patient = world.register(name="Savitri")
    consult = actions.issue_bill(
        acting_user=reception,
        facility=world.facility,
        patient=patient,
        lines=[LineRequest(catalogue.consultation)],
    )
    actions.record_payment(consult, mode="cash", amount=D(300), acting_user=reception)
    actions.record_payment(consult, mode="upi", amount=D(200), acting_user=reception)
    medicines = actions.issue_bill(
        acting_user=pharmacy,
        facility=world.facility,
        patient=patient,
        lines=[LineRequest(catalogue.paracetamol, D(2)), LineRequest(catalogue.amoxicillin)],
    )
    actions.record_payment(medicines, mode="card", amount=medicines.total, acting_user=pharmacy)
    actions.record_advance(
        patient, facility=world.facility, mode="cash", amount=D(1000), acting_user=reception
    )
    actions.issue_credit_note(consult, acting_user=reception, reason="refund", refund_mode="cash")

    report = reports.day_end(world.facility, timezone.localdate())
    by_user = {c.user.pk: c for c in report.cashiers}
    assert by_user[reception.pk].by_mode == {"cash": D("800.00"), "upi": D("200.00")}
    assert by_user[reception.pk].refunds == D("500.00")
    assert by_user[pharmacy.pk].by_mode == {"card": medicines.total}
    assert report.by_mode["cash"] == D("800.00")
    assert report.net == sum((c.net for c in report.cashiers), D(0))
    assert report.net == D("1000.00") + medicines.total
    assert report.documents["credit_note"] == (1, D("500.00"))

    count = actions.record_cash_count(
        acting_user=world.user(Role.ADMIN),
        facility=world.facility,
        cashier=reception,
        day=timezone.localdate(),
        counted=D("790"),
    )
    assert count.expected == D("800.00")
    assert count.difference == D("-10.00")


def test_form_3c_lists_services_with_dates_of_receipt(
    world: ClinicWorld, catalogue: Catalogue
) -> None:
    reception = world.user(Role.RECEPTIONIST)
    patient = world.register(name="Gopal")
    bill = actions.issue_bill(
        acting_user=reception,
        facility=world.facility,
        patient=patient,
        lines=[LineRequest(catalogue.consultation), LineRequest(catalogue.paracetamol)],
    )
    actions.record_payment(bill, mode="cash", amount=bill.total, acting_user=reception)
    today = timezone.localdate()
    rows = reports.form_3c(world.facility, today - datetime.timedelta(days=1), today)
    assert [(r.patient, r.service, r.fee) for r in rows] == [
        ("Gopal", "Consultation (first visit)", D("500.00"))
    ]
    assert rows[0].received_on == today.strftime("%d-%m-%Y")
    assert "serial,date,patient,service,fee,date_of_receipt" in reports.form_3c_csv(rows)


def test_paying_from_an_advance_is_not_counted_twice(
    world: ClinicWorld, catalogue: Catalogue
) -> None:
    reception = world.user(Role.RECEPTIONIST)
    patient = world.register(name="Bimla")
    actions.record_advance(
        patient, facility=world.facility, mode="upi", amount=D(2000), acting_user=reception
    )
    bill = actions.issue_bill(
        acting_user=reception,
        facility=world.facility,
        patient=patient,
        lines=[LineRequest(catalogue.consultation)],
    )
    actions.record_payment(bill, mode="advance", amount=D(500), acting_user=reception)
    report = reports.day_end(world.facility, timezone.localdate())
    assert report.by_mode["advance"] == D("500.00")
    assert report.net == D("2000.00")
    assert report.cashiers[0].net == D("2000.00")
