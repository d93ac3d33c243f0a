from __future__ import annotations

from nidaan.clinics.models import Facility, Organisation
from nidaan.core.models import ChangeLogEntry
from nidaan.core.permissions import Role
from tests.factories import ClinicWorld


def settings_form(**changes: str) -> dict[str, str]:
    return {
        "clinic_name": "Shanti Clinic",
        "clinic_name_hi": "शांति क्लिनिक",
        "address_line": "Boring Road",
        "city": "Patna",
        "district": "Patna",
        "state": "10",
        "pin": "800001",
        "phone": "0612 222 3333",
        "timings": "",
        "gstin": "",
        "temperature_unit": "F",
        **changes,
    }


def test_admin_changes_address_and_gstin_with_one_entry_per_row(world: ClinicWorld) -> None:
    client = world.client(Role.ADMIN)
    page = client.get("/clinic/").content.decode()
    assert 'value="Boring Road"' in page
    before = ChangeLogEntry.objects.count()
    # A Bihar GSTIN with its correct check character.
    response = client.post(
        "/clinic/",
        settings_form(
            pin="800013", timings="9–1, 5–8", gstin="10AAPFU0939F1ZA", temperature_unit="C"
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Facility.objects.get().pin == "800013"
    assert Organisation.objects.get().gstin == "10AAPFU0939F1ZA"
    entries = list(ChangeLogEntry.objects.order_by("node_seq")[before:])
    assert [(e.entity, sorted(e.fields)) for e in entries] == [
        ("clinics.organisation", ["gstin", "temperature_unit"]),
        ("clinics.facility", ["pin", "timings"]),
    ]


def test_a_wrong_gstin_changes_nothing(world: ClinicWorld) -> None:
    response = world.client(Role.ADMIN).post(
        "/clinic/", settings_form(gstin="10AAPFU0939F1ZX", pin="800013")
    )
    assert response.status_code == 200
    assert "The last character should be" in response.content.decode()
    assert Facility.objects.get().pin == "800001"


def test_only_the_admin_manages_the_clinic(world: ClinicWorld) -> None:
    assert world.client(Role.DOCTOR).post("/clinic/", settings_form()).status_code == 403
