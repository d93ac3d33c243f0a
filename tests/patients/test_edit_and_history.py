from __future__ import annotations

from nidaan.core.permissions import Role
from nidaan.patients.models import Patient
from tests.factories import ClinicWorld


def test_an_edit_is_saved_and_shown_in_the_history(world: ClinicWorld) -> None:
    patient = world.register(name="Ramesh Kumar", sex="M", age=40, mobile="9876543210")
    born = patient.date_of_birth
    client = world.client(Role.RECEPTIONIST)
    form = client.get(f"/patients/{patient.pk}/edit/").content.decode()
    assert 'value="Ramesh Kumar"' in form
    assert 'value="40"' in form

    response = client.post(
        f"/patients/{patient.pk}/edit/",
        {
            "name": "Ramesh Kumar",
            "sex": "M",
            "age": "40",
            "mobile": "9812345678",
            "locality": "Kankarbagh",
        },
    )
    assert response.status_code == 302
    patient.refresh_from_db()
    assert patient.mobile == "9812345678"
    assert patient.locality == "Kankarbagh"
    # The same age typed again does not move the estimated birth date.
    assert patient.date_of_birth == born

    page = client.get(f"/patients/{patient.pk}/").content.decode()
    assert "Change history" in page
    assert "9812345678" in page
    assert "Kankarbagh" in page
    assert world.user(Role.RECEPTIONIST).full_name in page


def test_an_invalid_edit_changes_nothing(world: ClinicWorld) -> None:
    patient = world.register(name="Ramesh Kumar", sex="M", age=40, mobile="9876543210")
    response = world.client(Role.RECEPTIONIST).post(
        f"/patients/{patient.pk}/edit/",
        {
            "name": "Ramesh Kumar",
            "sex": "M",
            "age": "400",
            "mobile": "9812345678",
        },
    )
    assert response.status_code == 200
    assert "Ensure this value is less than or equal to 120." in response.content.decode()
    assert Patient.objects.get(pk=patient.pk).mobile == "9876543210"


def test_a_pharmacist_may_look_but_not_edit(world: ClinicWorld) -> None:
    patient = world.register(name="Ramesh Kumar")
    client = world.client(Role.PHARMACIST)
    assert client.get(f"/patients/{patient.pk}/").status_code == 200
    assert client.post(f"/patients/{patient.pk}/edit/", {"name": "X"}).status_code == 403
