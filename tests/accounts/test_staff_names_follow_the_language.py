from __future__ import annotations

from django.utils import translation

from nidaan.accounts.actions import update_staff_user
from nidaan.core.permissions import Role
from tests.factories import ClinicWorld


def test_staff_names_are_shown_in_hindi_on_hindi_pages(world: ClinicWorld) -> None:
    reception = world.user(Role.RECEPTIONIST)
    update_staff_user(
        reception,
        {"full_name": "Sunil Yadav", "full_name_hi": "सुनील यादव"},
        acting_user=world.user(Role.ADMIN),
    )
    patient = world.register(name="Ramesh Kumar", by=Role.RECEPTIONIST)
    with translation.override("hi"):
        assert str(reception) == "सुनील यादव"
    with translation.override("en"):
        assert str(reception) == "Sunil Yadav"
    client = world.client(Role.RECEPTIONIST)
    client.post("/accounts/language/", {"language": "hi"})
    page = client.get(f"/patients/{patient.pk}/").content.decode()
    assert "सुनील यादव" in page
    assert "Sunil Yadav" not in page
