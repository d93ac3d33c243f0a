from __future__ import annotations

from nidaan.core.permissions import Role
from nidaan.patients.models import Patient
from tests.factories import ClinicWorld


def test_same_mobile_and_similar_name_warns(world: ClinicWorld) -> None:
    existing = world.register(name="सुनीता देवी", mobile="9876543210")
    world.register(name="Rahul Kumar", mobile="9876543210", sex="M")  # same family phone
    client = world.client(Role.RECEPTIONIST)
    page = client.get(
        "/patients/new/duplicates/", {"name": "Sunita", "mobile": "98765 43210"}
    ).content.decode()
    assert "Already registered?" in page
    assert f"/patients/{existing.pk}/" in page
    assert "Rahul" not in page


def test_no_warning_for_a_different_name_or_an_unfinished_number(world: ClinicWorld) -> None:
    world.register(name="Sunita Devi", mobile="9876543210")
    client = world.client(Role.RECEPTIONIST)
    assert (
        "Already"
        not in client.get(
            "/patients/new/duplicates/", {"name": "Mohan", "mobile": "9876543210"}
        ).content.decode()
    )
    assert (
        "Already"
        not in client.get(
            "/patients/new/duplicates/", {"name": "Sunita", "mobile": "98765"}
        ).content.decode()
    )


def test_the_warning_never_blocks_registration(world: ClinicWorld) -> None:
    world.register(name="Sunita Devi", mobile="9876543210")
    response = world.client(Role.RECEPTIONIST).post(
        "/patients/new/", {"name": "Sunita Devi", "sex": "F", "age": "8", "mobile": "9876543210"}
    )
    assert response.status_code == 302
    assert Patient.objects.filter(mobile="9876543210").count() == 2
