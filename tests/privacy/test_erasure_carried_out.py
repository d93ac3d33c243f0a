"""An admin carries out an erasure where retention allows: the personal data is replaced by
markers, the patient leaves search, documents lose their files, and the change log keeps
no erased value. Where retention forbids it, the refusal says why and until when."""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.utils import timezone

from nidaan.audit.models import AuditEvent
from nidaan.core.models import ChangeLogEntry
from nidaan.core.permissions import Role
from nidaan.documents import storage
from nidaan.documents.models import Document
from nidaan.opd import actions as opd_actions
from nidaan.patients.models import ERASED_NAME, Patient, SearchTerm, SearchVocabulary
from nidaan.patients.search import search_patients
from nidaan.privacy.models import PatientErasure
from tests.documents.files import a_document
from tests.factories import ClinicWorld

NAME = "Zorawar Qadribhai"


def _registered(world: ClinicWorld) -> Patient:
    return world.register(
        name=NAME,
        mobile="9876501234",
        address_line="12 Lohar Gali",
        locality="Qadripur",
        pin="302001",
        guardian_name="Qasim Qadribhai",
        guardian_relation="father",
        abha_number="91234567890123",
    )


def _log_text(patient: Patient, documents: list[Document]) -> str:
    ids = [patient.pk, *(d.pk for d in documents)]
    return json.dumps(
        list(ChangeLogEntry.objects.filter(entity_id__in=ids).values_list("fields", flat=True))
    )


def test_an_old_registration_with_a_report_is_erased_from_the_page(
    world: ClinicWorld, django_capture_on_commit_callbacks: Any
) -> None:
    patient = _registered(world)
    report = a_document(world, patient, title="Qadribhai CBC")
    sha = report.sha256
    assert storage.blob_path(sha).exists()
    # Registered four years ago: a report alone is kept three years after registration.
    Patient._base_manager.filter(pk=patient.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=4 * 366)
    )
    assert "Qadribhai" in _log_text(patient, [report])
    admin = world.client(Role.ADMIN)
    url = f"/privacy/patient/{patient.pk}/erasure/"
    assert "Erase the personal data now" in admin.get(url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):  # files go after commit
        response = admin.post(url, {"erase": "1"})
    assert response.status_code == 302
    page = admin.get(url).content.decode()
    assert "was erased on" in page
    assert "Qadribhai" not in page

    patient.refresh_from_db()
    assert patient.name == ERASED_NAME
    assert patient.name_latin == ERASED_NAME
    assert (patient.mobile, patient.address_line, patient.locality, patient.pin) == ("", "", "", "")
    assert (patient.guardian_name, patient.abha_number) == ("", "")
    assert patient.date_of_birth == datetime.date(1900, 1, 1)
    assert patient.uhid, "the clinic's own number stays"
    assert PatientErasure.objects.filter(patient=patient).count() == 1

    # Gone from search (by name, by mobile) and from the search vocabulary.
    assert search_patients(world.organisation.pk, "Zorawar") == []
    assert search_patients(world.organisation.pk, "9876501234") == []
    assert not SearchTerm.objects.filter(patient=patient).exists()
    assert not SearchVocabulary.objects.filter(term__icontains="qadri").exists()

    # The report's row stays as a record that there was one; its file and name do not.
    report.refresh_from_db()
    assert report.original_filename == ERASED_NAME
    assert report.title == ""
    assert report.sha256 == ""
    assert not storage.blob_path(sha).exists()

    # No change in the log keeps an erased value; the audit names the patient by id only.
    log = _log_text(patient, [report])
    for secret in ("Qadribhai", "Zorawar", "9876501234", "Lohar", "302001", "91234567890123"):
        assert secret not in log
    erased = AuditEvent.objects.get(patient_id=patient.pk, detail__erased=True)
    assert erased.entity_id == patient.pk
    everything = json.dumps(list(AuditEvent.objects.values()), default=str)
    assert "Qadribhai" not in everything

    # The registration cannot be typed in again.
    edit = admin.get(f"/patients/{patient.pk}/edit/", follow=True).content.decode()
    assert (
        "erased at the patient&#x27;s request" in edit or "erased at the patient's request" in edit
    )
    # Erasing twice changes nothing.
    assert admin.post(url, {"erase": "1"}).status_code == 302
    assert PatientErasure.objects.filter(patient=patient).count() == 1


def test_erasure_refused_while_visits_must_be_kept_says_why_and_until_when(
    world: ClinicWorld,
) -> None:
    patient = _registered(world)
    entry = opd_actions.issue_token(
        acting_user=world.user(Role.RECEPTIONIST),
        patient=patient,
        doctor=world.user(Role.DOCTOR),
        facility=world.facility,
    )
    visit = opd_actions.start_consultation(entry, acting_user=world.user(Role.DOCTOR))
    admin = world.client(Role.ADMIN)
    url = f"/privacy/patient/{patient.pk}/erasure/"
    assert "Erase the personal data now" not in admin.get(url).content.decode()

    refused = admin.post(url, {"erase": "1"})
    assert refused.status_code == 409
    page = refused.content.decode()
    until = visit.started_at.date().replace(year=visit.started_at.year + 7)
    assert f"kept until {until:%d-%m-%Y}" in page
    assert "Indian Medical Council" in page
    patient.refresh_from_db()
    assert patient.name == NAME
    assert not PatientErasure.objects.exists()
    assert "Qadribhai" in _log_text(patient, [])


def test_only_the_admin_can_erase(world: ClinicWorld) -> None:
    patient = _registered(world)
    for role in (Role.DOCTOR, Role.RECEPTIONIST):
        response = world.client(role).post(
            f"/privacy/patient/{patient.pk}/erasure/", {"erase": "1"}
        )
        assert response.status_code == 403
    patient.refresh_from_db()
    assert patient.name == NAME
