"""Merging a patient registered twice, and undoing it, through the pages an admin uses."""

from __future__ import annotations

from django.test import Client

from nidaan.accounts.models import User
from nidaan.core import changelog
from nidaan.core.permissions import Role
from nidaan.encounters import actions as chart
from nidaan.patients import merging
from nidaan.patients.models import PatientMerge
from nidaan.patients.search import search_patients
from tests.factories import ClinicWorld


def _visit(world: ClinicWorld, patient: object, pulse: int) -> None:
    doctor = world.user(Role.DOCTOR)
    encounter = chart.start_encounter(acting_user=doctor, patient=patient, facility=world.facility)  # type: ignore[arg-type]
    chart.record_vitals(encounter, {"pulse": pulse}, acting_user=doctor)


def _found(world: ClinicWorld, query: str) -> list[str]:
    return [str(hit.patient.pk) for hit in search_patients(world.organisation.pk, query)]


def test_likely_duplicates_are_listed_compared_merged_and_unmerged(world: ClinicWorld) -> None:
    first = world.register(name="Ramesh Kumar", mobile="9812345678")
    again = world.register(name="Ramesh Kumaar", mobile="9812345678")
    world.register(name="Sita Devi", mobile="9812345678")  # same family phone, not a twin
    _visit(world, first, 70)
    _visit(world, again, 90)
    admin = world.client(Role.ADMIN)

    listing = admin.get("/patients/duplicates/").content.decode()
    assert first.uhid in listing
    assert again.uhid in listing
    assert "Sita Devi" not in listing

    compare = admin.get(f"/patients/{first.pk}/merge/{again.pk}/")
    assert compare.status_code == 200
    refused = admin.post(
        f"/patients/{first.pk}/merge/{again.pk}/", {"keep": str(first.pk), "reason": ""}
    )
    assert refused.status_code == 200
    assert not PatientMerge.objects.exists()

    done = admin.post(
        f"/patients/{first.pk}/merge/{again.pk}/",
        {"keep": str(first.pk), "reason": "same father's name and address"},
    )
    assert done.status_code == 302
    # The duplicate's page leads to the record kept; search shows one record.
    assert admin.get(f"/patients/{again.pk}/")["Location"] == f"/patients/{first.pk}/"
    assert _found(world, "Ramesh") == [str(first.pk)]
    # The doctor sees both visits in one history.
    history = world.client(Role.DOCTOR).get(f"/visits/patient/{first.pk}/")
    assert history.context["history"].visit_count == 2
    pulses = sorted(r.record.pulse for r in history.context["history"].readings)
    assert pulses == [70, 90]
    assert world.client(Role.DOCTOR).get(f"/visits/patient/{again.pk}/")["Location"] == (
        f"/visits/patient/{first.pk}/"
    )
    assert "No likely duplicates." in admin.get("/patients/duplicates/").content.decode()

    merge = PatientMerge.objects.get()
    assert admin.post(f"/patients/merges/{merge.pk}/unmerge/", {"reason": ""}).status_code == 200
    assert (
        admin.post(
            f"/patients/merges/{merge.pk}/unmerge/", {"reason": "twins, not one person"}
        ).status_code
        == 302
    )
    assert admin.get(f"/patients/{again.pk}/").status_code == 200
    assert sorted(_found(world, "Ramesh")) == sorted([str(first.pk), str(again.pk)])
    merge.refresh_from_db()
    assert merge.active is False
    assert merge.reason == "same father's name and address"  # the history stays


def test_receptionist_cannot_merge(world: ClinicWorld) -> None:
    one = world.register(name="Asha", mobile="9812345670")
    two = world.register(name="Asha", mobile="9812345670")
    client: Client = world.client(Role.RECEPTIONIST)
    response = client.post(
        f"/patients/{one.pk}/merge/{two.pk}/", {"keep": str(one.pk), "reason": "x"}
    )
    assert response.status_code == 403
    assert not PatientMerge.objects.exists()


def test_opposite_merges_made_on_two_offline_pcs_settle_on_the_same_record(
    world: ClinicWorld,
) -> None:
    older = world.register(name="Gopal")
    newer = world.register(name="Gopal")
    admin: User = world.user(Role.ADMIN)
    # As if replicated from two PCs: older→newer on one, newer→older on the other.
    for survivor, merged in ((newer, older), (older, newer)):
        changelog.insert(
            PatientMerge(
                organisation=world.organisation,
                survivor=survivor,
                merged=merged,
                reason="offline",
                merged_by=admin,
            ),
            acting_user=admin,
        )
    assert merging.representative(older) == older
    assert merging.representative(newer) == older
    assert merging.group_of(newer.pk) == {older.pk, newer.pk}
