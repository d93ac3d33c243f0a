"""POST /api/v1/bills and friends: the issued document comes back with its type, number,
per-line tax, totals and words; wrong input is a 400 per field; another clinic's is 404."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from django.test import Client

from nidaan.core.permissions import Role
from tests.billing.catalogue import Catalogue, with_check
from tests.factories import ClinicWorld


def _call(world: ClinicWorld, role: str, method: str, url: str, body: Any = None) -> Any:
    headers = {"Authorization": f"Bearer {world.token(role)}"}
    return Client().generic(
        method,
        url,
        data=json.dumps(body or {}),
        content_type="application/json",
        headers=headers,
    )


def test_pharmacy_bills_two_medicines(world: ClinicWorld, catalogue: Catalogue) -> None:
    patient = world.register(name="Rekha")
    response = _call(
        world,
        Role.PHARMACIST,
        "POST",
        "/api/v1/bills",
        {
            "patient_id": str(patient.pk),
            "lines": [
                {"entry_id": str(catalogue.paracetamol.pk), "quantity": "2"},
                {"entry_id": str(catalogue.amoxicillin.pk), "quantity": "1", "discount": "2.00"},
            ],
        },
    )
    assert response.status_code == 201, response.content
    bill = response.json()
    assert bill["type"] == "tax_invoice"
    assert re.fullmatch(r"[A-Z0-9]{4}/I\d{4}/0001", bill["number"])
    assert [line["rate"] for line in bill["lines"]] == ["5", "5"]
    assert bill["lines"][0]["cgst"] == bill["lines"][0]["sgst"] == "1.53"
    total = sum(float(line["total"]) for line in bill["lines"]) + float(bill["totals"]["round_off"])
    assert f"{total:.2f}" == bill["totals"]["total"]
    assert bill["amount_in_words"]["en"].startswith("Rupees ")
    assert bill["amount_in_words"]["hi"].endswith("मात्र")
    assert bill["upi"].startswith("upi://pay?pa=shanti%40upi")
    assert "&am=" in bill["upi"]
    assert bill["recipient"]["name"] == "Rekha"


def test_wrong_gstin_is_refused_with_the_reason(world: ClinicWorld, catalogue: Catalogue) -> None:
    response = _call(
        world,
        Role.BILLING,
        "POST",
        "/api/v1/bills",
        {
            "lines": [{"entry_id": str(catalogue.paracetamol.pk)}],
            "payer_gstin": "27AAPFU0939F1ZA",
        },
    )
    assert response.status_code == 400
    assert "should be V" in response.json()["errors"]["payer_gstin"][0]


def test_unknown_entry_and_bad_quantity_are_per_line_errors(
    world: ClinicWorld, catalogue: Catalogue
) -> None:
    response = _call(
        world,
        Role.BILLING,
        "POST",
        "/api/v1/bills",
        {
            "lines": [
                {"entry_id": "00000000-0000-7000-8000-000000000000"},
                {"entry_id": str(catalogue.consultation.pk), "quantity": "0"},
            ],
        },
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"lines.0.entry", "lines.1.quantity"}


def test_b2b_inter_state_through_the_api(world: ClinicWorld, catalogue: Catalogue) -> None:
    response = _call(
        world,
        Role.BILLING,
        "POST",
        "/api/v1/bills",
        {
            "lines": [{"entry_id": str(catalogue.paracetamol.pk), "quantity": "10"}],
            "payer_gstin": with_check("27AAACM1234F1Z").lower(),
            "payer_name": "Mumbai Medicos",
            "place_of_supply": "27",
        },
    )
    assert response.status_code == 201, response.content
    bill = response.json()
    assert bill["inter_state"]
    assert bill["totals"]["igst"] == "15.25"
    assert bill["totals"]["cgst"] == "0.00"


def test_payment_credit_note_and_cancel(world: ClinicWorld, catalogue: Catalogue) -> None:
    issued = _call(
        world,
        Role.RECEPTIONIST,
        "POST",
        "/api/v1/bills",
        {
            "patient_id": str(world.register(name="Usha").pk),
            "lines": [{"entry_id": str(catalogue.consultation.pk)}],
        },
    ).json()
    url = f"/api/v1/bills/{issued['id']}"
    paid = _call(
        world,
        Role.RECEPTIONIST,
        "POST",
        f"{url}/payments",
        {"mode": "upi", "amount": "500", "reference": "UTR123"},
    )
    assert paid.status_code == 201
    assert paid.json()["balance"] == "0.00"
    too_much = _call(
        world, Role.RECEPTIONIST, "POST", f"{url}/payments", {"mode": "cash", "amount": "1"}
    )
    assert too_much.status_code == 400
    assert "amount" in too_much.json()["errors"]
    assert (
        _call(world, Role.PHARMACIST, "POST", f"{url}/credit-notes", {"reason": "x"}).status_code
        == 403
    )
    note = _call(
        world,
        Role.RECEPTIONIST,
        "POST",
        f"{url}/credit-notes",
        {"reason": "doctor on leave", "refund_mode": "cash"},
    )
    assert note.status_code == 201, note.content
    assert note.json()["type"] == "credit_note"
    assert note.json()["original"]["number"] == issued["number"]
    assert _call(world, Role.RECEPTIONIST, "GET", url).json()["balance"] == "0.00"
    refused = _call(world, Role.BILLING, "POST", f"{url}/cancel", {"reason": "no"})
    assert refused.status_code == 400


def test_other_organisation_gets_404(
    world: ClinicWorld, catalogue: Catalogue, other_world: Callable[[], ClinicWorld]
) -> None:
    issued = _call(
        world,
        Role.RECEPTIONIST,
        "POST",
        "/api/v1/bills",
        {
            "lines": [{"entry_id": str(catalogue.consultation.pk)}],
        },
    ).json()
    other = other_world()
    response = _call(other, Role.ADMIN, "GET", f"/api/v1/bills/{issued['id']}")
    assert response.status_code == 404
    foreign_line = _call(
        other,
        Role.ADMIN,
        "POST",
        "/api/v1/bills",
        {
            "lines": [{"entry_id": str(catalogue.consultation.pk)}],
        },
    )
    assert foreign_line.status_code == 400


def test_pdf_of_a_bill(world: ClinicWorld, catalogue: Catalogue) -> None:
    issued = _call(
        world,
        Role.RECEPTIONIST,
        "POST",
        "/api/v1/bills",
        {"lines": [{"entry_id": str(catalogue.consultation.pk)}]},
    ).json()
    pdf = _call(world, Role.RECEPTIONIST, "GET", f"/api/v1/bills/{issued['id']}/pdf?size=A5")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    wrong = _call(world, Role.RECEPTIONIST, "GET", f"/api/v1/bills/{issued['id']}/pdf?size=B5")
    assert wrong.status_code == 400
    assert "size" in wrong.json()["errors"]
