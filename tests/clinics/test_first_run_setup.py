from __future__ import annotations

import pytest
from django.test import Client

from nidaan.accounts.models import User
from nidaan.clinics.models import Facility, Organisation

FORM = {
    "clinic-clinic_name": "Gaya Nursing Home",
    "clinic-clinic_name_hi": "गया नर्सिंग होम",
    "clinic-address_line": "Station Road",
    "clinic-city": "Gaya",
    "clinic-district": "Gaya",
    "clinic-state": "10",
    "clinic-pin": "823001",
    "clinic-phone": "0631 222 0000",
    "clinic-gstin": "",
    "clinic-temperature_unit": "F",
    "admin-username": "owner",
    "admin-full_name": "Dr. Owner",
    "admin-role": "admin",
    "admin-language": "hi",
    "admin-password": "Gaya-Clinic-2026",
}


@pytest.mark.django_db
def test_a_new_node_leads_every_page_to_setup() -> None:
    client = Client()
    assert client.get("/")["Location"] == "/setup/"
    assert client.get("/patients/")["Location"] == "/setup/"
    assert client.get("/setup/").status_code == 200


@pytest.mark.django_db
def test_setup_creates_the_clinic_and_logs_the_admin_in() -> None:
    client = Client()
    response = client.post("/setup/", FORM)
    assert response.status_code == 302, response.content.decode()[:2000]
    organisation = Organisation.objects.get()
    assert organisation.name_hi == "गया नर्सिंग होम"
    facility = Facility.objects.get()
    assert (facility.state, facility.pin) == ("10", "823001")
    admin = User.objects.get(username="owner")
    assert admin.role == "admin"
    assert admin.organisation == organisation
    assert client.get("/staff/").status_code == 200
    # Set-up happens once.
    assert Client().get("/setup/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("clinic-pin", "012345", "does not start with 0"),
        ("clinic-gstin", "10AAPFU0939F1ZX", "The last character should be"),
        ("clinic-gstin", "27AAPFU0939F1ZV", "another state"),
        ("admin-password", "12345678", "entirely numeric"),
    ],
)
def test_bad_setup_input_is_refused_with_the_reason(field: str, value: str, message: str) -> None:
    response = Client().post("/setup/", {**FORM, field: value})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Organisation.objects.exists()
    assert not User.objects.exists()
