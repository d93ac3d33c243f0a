"""A completed consultation is changed only with a reason; every save is a version."""

from __future__ import annotations

from nidaan.core.permissions import Role
from nidaan.encounters import actions
from nidaan.encounters.models import ConsultationNote
from tests.factories import ClinicWorld


def test_changing_a_completed_note_needs_a_reason(world: ClinicWorld) -> None:
    patient = world.register(name="Sunita Devi")
    visit = actions.start_encounter(
        acting_user=world.user(Role.DOCTOR), patient=patient, facility=world.facility
    )
    client = world.client(Role.DOCTOR)
    url = f"/visits/{visit.pk}/note/"

    def current() -> ConsultationNote:
        return ConsultationNote.objects.filter(encounter=visit).current().get()

    form = {"complaints_text": "fever 3 days\ncough", "advice": "paracetamol SOS"}
    assert client.post(url, {**form, "based_on": current().pk, "draft": "1"}).status_code == 302
    assert not current().complete
    assert client.post(url, {**form, "based_on": current().pk, "complete": "1"}).status_code == 302
    completed = current()
    assert completed.complete
    assert completed.complaints == [
        {"text": "fever", "duration": 3, "unit": "days"},
        {"text": "cough", "duration": None, "unit": ""},
    ]

    changed = {**form, "advice": "paracetamol 650 SOS", "based_on": completed.pk, "amend": "1"}
    refused = client.post(url, changed)
    assert refused.status_code == 200
    assert "The consultation was completed: write why you change it." in refused.content.decode()
    assert current() == completed

    saved = client.post(url, {**changed, "reason": "dose added"})
    assert saved.status_code == 302
    assert (current().advice, current().reason) == ("paracetamol 650 SOS", "dose added")
    page = client.get(f"/visits/{visit.pk}/").content.decode()
    assert "Amended" in page
    assert "dose added" in page
