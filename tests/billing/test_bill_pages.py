"""The billing pages: issue a bill for a patient, pay it by UPI, credit it, see the
day end and the month's returns."""

from __future__ import annotations

import json

from nidaan.billing.models import Bill, DocumentType
from nidaan.core.permissions import Role
from tests.billing.catalogue import Catalogue
from tests.factories import ClinicWorld


def _line_data(*entries: tuple[object, str]) -> dict[str, str]:
    data = {
        "form-TOTAL_FORMS": "6",
        "form-INITIAL_FORMS": "0",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "30",
    }
    for i in range(6):
        data[f"form-{i}-quantity"] = "1"
        data[f"form-{i}-discount"] = ""
        data[f"form-{i}-entry"] = ""
    for i, (entry, quantity) in enumerate(entries):
        data[f"form-{i}-entry"] = str(entry.pk)  # type: ignore[attr-defined]
        data[f"form-{i}-quantity"] = quantity
    return data


def test_receptionist_bills_pays_by_upi_and_credits(
    world: ClinicWorld, catalogue: Catalogue
) -> None:
    patient = world.register(name="Lakshmi")
    client = world.client(Role.RECEPTIONIST)
    page = client.get(f"/billing/new/?patient={patient.pk}")
    assert page.status_code == 200
    assert "Consultation (first visit) · 999312 · ₹500.00" in page.content.decode()
    response = client.post(
        f"/billing/new/?patient={patient.pk}", _line_data((catalogue.consultation, "1"))
    )
    bill = Bill.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/billing/{bill.pk}/"
    assert bill.doc_type == DocumentType.BILL_OF_SUPPLY
    shown = client.get(response["Location"]).content.decode()
    assert bill.number in shown
    assert "<svg" in shown
    assert "upi://pay?pa=shanti%40upi" in shown
    assert "500.00" in shown
    paid = client.post(
        f"/billing/{bill.pk}/pay/", {"mode": "upi", "amount": "500.00", "reference": "UTR42"}
    )
    assert paid.status_code == 302
    credited = client.post(
        f"/billing/{bill.pk}/credit-note/",
        {"reason": "patient left before seeing the doctor", "refund_mode": "cash"},
    )
    note = Bill.objects.get(original=bill)
    assert credited["Location"] == f"/billing/{note.pk}/"
    admin = world.client(Role.ADMIN)
    day_end = admin.get("/billing/day-end/").content.decode()
    assert "500.00" in day_end  # UPI in, cash out
    assert "-500.00" in day_end
    period = bill.issued_on.strftime("%m%Y")
    gstr1 = json.loads(admin.get(f"/billing/returns/?period={period}&download=json").content)
    assert gstr1["nil"]["inv"][0]["expt_amt"] == 0.0  # billed and credited in full
    kinds = {d["doc_num"] for d in gstr1["doc_issue"]["doc_det"]}
    assert kinds == {1, 5}


def test_wrong_gstin_on_the_page_is_shown_by_its_field(
    world: ClinicWorld, catalogue: Catalogue
) -> None:
    client = world.client(Role.PHARMACIST)
    data = _line_data((catalogue.paracetamol, "2")) | {"payer_gstin": "27AAPFU0939F1ZA"}
    response = client.post("/billing/new/?walk_in=1", data)
    assert response.status_code == 200
    assert "should be V" in response.content.decode()
    assert not Bill.objects.exists()


def test_nurse_cannot_bill(world: ClinicWorld) -> None:
    assert world.client(Role.NURSE).get("/billing/new/").status_code == 403
    assert world.client(Role.RECEPTIONIST).get("/billing/day-end/").status_code == 403


def test_day_end_page_records_a_cash_count(world: ClinicWorld, catalogue: Catalogue) -> None:
    from decimal import Decimal

    from django.utils import timezone

    from nidaan.billing import actions
    from nidaan.billing.actions import LineRequest
    from nidaan.billing.models import CashCount

    reception = world.user(Role.RECEPTIONIST)
    bill = actions.issue_bill(
        acting_user=reception,
        facility=world.facility,
        patient=None,
        lines=[LineRequest(catalogue.consultation)],
    )
    actions.record_payment(bill, mode="cash", amount=Decimal(500), acting_user=reception)
    admin = world.client(Role.ADMIN)
    day = timezone.localdate().isoformat()
    response = admin.post(
        "/billing/day-end/", {"day": day, "cashier": str(reception.pk), "counted": "480"}
    )
    assert response.status_code == 302
    count = CashCount.objects.get()
    assert (count.expected, count.counted, count.difference) == (
        Decimal("500.00"),
        Decimal("480.00"),
        Decimal("-20.00"),
    )
    page = admin.get(f"/billing/day-end/?day={day}").content.decode()
    assert "480.00" in page
    assert "(-20.00)" in page
