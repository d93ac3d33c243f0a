"""The catalogue page (entries with SAC/HSN and dated GST rates) and the GST settings."""

from __future__ import annotations

import datetime
from decimal import Decimal as D

from nidaan.billing import queries
from nidaan.billing.models import CatalogueEntry, GstProfile
from nidaan.core.permissions import Role
from tests.billing.catalogue import CLINIC_GSTIN
from tests.factories import ClinicWorld


def test_admin_adds_a_medicine_and_a_rate_change(world: ClinicWorld) -> None:
    client = world.client(Role.ADMIN)
    response = client.post(
        "/billing/catalogue/",
        {
            "kind": "item",
            "name": "Cetirizine 10 mg",
            "name_hi": "सेटिरिज़िन",
            "code": "3004",
            "unit": "STR",
            "taxability": "taxable",
            "price": "18.00",
            "rate": "12",
            "effective_from": "2017-07-01",
        },
    )
    assert response.status_code == 302
    entry = CatalogueEntry.objects.get(name="Cetirizine 10 mg")
    client.post(
        f"/billing/catalogue/{entry.pk}/rate/", {"rate": "5", "effective_from": "2025-09-22"}
    )
    assert queries.rate_on(entry, datetime.date(2025, 9, 21)).rate == D(12)  # type: ignore[union-attr]
    assert queries.rate_on(entry, datetime.date(2025, 9, 22)).rate == D(5)  # type: ignore[union-attr]
    client.post(f"/billing/catalogue/{entry.pk}/change/", {"price": "20.00"})
    entry.refresh_from_db()
    assert (entry.price, entry.active) == (D("20.00"), False)
    page = client.get("/billing/catalogue/").content.decode()
    assert "12% from 01-07-2017" in page
    assert "5% from 22-09-2025" in page


def test_wrong_codes_and_missing_rate_are_refused(world: ClinicWorld) -> None:
    client = world.client(Role.BILLING)
    response = client.post(
        "/billing/catalogue/",
        {
            "kind": "service",
            "name": "Consultation",
            "code": "3004",
            "unit": "NA",
            "taxability": "taxable",
            "price": "500",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"code", "rate", "effective_from"}
    assert not CatalogueEntry.objects.exists()


def test_admin_registers_the_clinic_for_gst(world: ClinicWorld) -> None:
    client = world.client(Role.ADMIN)
    wrong = client.post(
        "/billing/gst/",
        {
            "registered": "on",
            "gstin": "10AAPFU0939F1ZZ",
            "legal_name": "Shanti LLP",
            "state": "10",
            "round_off": "on",
        },
    )
    assert "should be A" in wrong.content.decode()
    ok = client.post(
        "/billing/gst/",
        {
            "registered": "on",
            "gstin": CLINIC_GSTIN.lower(),
            "legal_name": "Shanti LLP",
            "state": "10",
            "upi_vpa": "shanti@okaxis",
            "round_off": "on",
        },
    )
    assert ok.status_code == 302
    profile = GstProfile.objects.get()
    assert (profile.gstin, profile.registered, profile.upi_vpa) == (
        CLINIC_GSTIN,
        True,
        "shanti@okaxis",
    )
    assert world.client(Role.BILLING).get("/billing/gst/").status_code == 403
