"""Two doctors on one consultation: the stale save is refused and shown, never written."""

from __future__ import annotations

from nidaan.accounts.actions import create_staff_user
from nidaan.core.permissions import Role
from nidaan.encounters import actions
from nidaan.encounters.models import ConsultationNote
from tests.factories import PASSWORD, ClinicWorld


def test_a_second_doctors_stale_save_shows_the_conflict_and_stores_nothing(
    world: ClinicWorld,
) -> None:
    patient = world.register(name="Ramesh Kumar")
    visit = actions.start_encounter(
        acting_user=world.user(Role.DOCTOR), patient=patient, facility=world.facility
    )
    second = create_staff_user(
        acting_user=world.user(Role.ADMIN),
        facility=world.facility,
        username="dr-second",
        password=PASSWORD,
        role=Role.DOCTOR,
        full_name="Dr. Second Opinion",
    )
    opened = ConsultationNote.objects.get(encounter=visit)  # both doctors open this version
    first_client = world.client(Role.DOCTOR)
    second_client = world.client(Role.DOCTOR)
    second_client.force_login(second)
    form = {"based_on": str(opened.pk), "complaints_text": "fever 3 days", "draft": "1"}

    first = first_client.post(f"/visits/{visit.pk}/note/", {**form, "examination": "chest clear"})
    assert first.status_code == 302

    stale = second_client.post(f"/visits/{visit.pk}/note/", {**form, "examination": "wheeze"})

    assert stale.status_code == 409
    page = stale.content.decode()
    doctor = world.user(Role.DOCTOR).full_name
    assert f"{doctor} saved this consultation at" in page
    assert "Nothing of yours was saved." in page
    assert "chest clear" in page  # their version, shown
    assert "wheeze" in page  # mine, still in the form
    current = ConsultationNote.objects.filter(encounter=visit).current().get()
    assert current.examination == "chest clear"
    assert ConsultationNote.objects.filter(examination="wheeze").count() == 0
