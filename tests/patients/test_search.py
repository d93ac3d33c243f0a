"""Search must be correct in both scripts and by every identifier (speed is issue 3's)."""

from __future__ import annotations

from collections.abc import Callable

from nidaan.core.permissions import Role
from nidaan.patients.actions import update_patient
from nidaan.patients.search import search_patients
from tests.factories import ClinicWorld


def names_found(world: ClinicWorld, query: str) -> list[str]:
    return [hit.patient.name for hit in search_patients(world.organisation.pk, query)]


def test_names_are_found_across_scripts_by_prefix_in_any_order(world: ClinicWorld) -> None:
    world.register(name="सुनीता देवी", mobile="9876543210")
    world.register(name="Ramesh Kumar", sex="M")
    world.register(name="श्रीवास्तव अमित", sex="M")
    assert names_found(world, "sunita") == ["सुनीता देवी"]
    assert names_found(world, "सुनीता") == ["सुनीता देवी"]
    assert names_found(world, "sun") == ["सुनीता देवी"]
    assert names_found(world, "devi sunita") == ["सुनीता देवी"]
    assert names_found(world, "रमेश") == ["Ramesh Kumar"]
    assert names_found(world, "amit srivastava") == ["श्रीवास्तव अमित"]
    assert names_found(world, "Sunitaa") == ["सुनीता देवी"]
    assert names_found(world, "suresh") == []


def test_mobile_full_or_last_digits(world: ClinicWorld) -> None:
    world.register(name="Sunita Devi", mobile="9876543210")
    world.register(name="Fatima Khan", mobile="9935523456")
    assert names_found(world, "3210") == ["Sunita Devi"]
    assert names_found(world, "+91 98765 43210") == ["Sunita Devi"]
    assert names_found(world, "43210") == ["Sunita Devi"]
    assert names_found(world, "321") == []  # fewer than four digits is too vague


def test_uhid_with_or_without_separators_and_a_typo_finds_nothing(world: ClinicWorld) -> None:
    patient = world.register(name="Sunita Devi")
    world.register(name="Someone Else")
    compact = patient.uhid.replace("-", "")
    assert names_found(world, patient.uhid) == ["Sunita Devi"]
    assert names_found(world, compact.lower()) == ["Sunita Devi"]
    typo = compact[:-2] + ("1" if compact[-2] != "1" else "2") + compact[-1]
    assert names_found(world, typo) == []


def test_abha_number_and_address(world: ClinicWorld) -> None:
    world.register(
        name="Sunita Devi", abha_number="91628545755116", abha_address="sunita.devi@abdm"
    )
    assert names_found(world, "91-6285-4575-5116") == ["Sunita Devi"]
    assert names_found(world, "91628545755116") == ["Sunita Devi"]
    assert names_found(world, "Sunita.Devi@abdm") == ["Sunita Devi"]


def test_an_exact_identifier_ranks_above_a_name(world: ClinicWorld) -> None:
    by_name = world.register(name="Kumar 3210")
    by_mobile = world.register(name="Ravi", mobile="9876543210")
    hits = search_patients(world.organisation.pk, "9876543210")
    assert hits[0].patient == by_mobile
    assert by_name not in [h.patient for h in hits]


def test_exact_name_ranks_above_a_longer_name_and_newer_breaks_ties(world: ClinicWorld) -> None:
    longer = world.register(name="Ramesh Kumar Singh")
    older = world.register(name="Ramesh Kumar")
    newer = world.register(name="रमेश कुमार")
    hits = [h.patient for h in search_patients(world.organisation.pk, "ramesh kumar")]
    assert hits == [newer, older, longer]


def test_other_clinics_and_patients_entered_in_error_are_not_found(
    world: ClinicWorld,
    other_world: Callable[[], ClinicWorld],
) -> None:
    other = other_world()
    other.register(name="Sunita Devi", mobile="9876543210")
    mistake = world.register(name="Sunita Devi", mobile="9876543210")
    update_patient(
        mistake, acting_user=world.user(Role.ADMIN), demographics={"entered_in_error": True}
    )
    assert names_found(world, "sunita") == []
    assert names_found(world, "3210") == []


def test_a_patient_is_found_the_moment_they_are_registered(world: ClinicWorld) -> None:
    world.register(name="Nayi Mariz")
    assert names_found(world, "nayi") == ["Nayi Mariz"]


def test_search_page_and_live_results(world: ClinicWorld) -> None:
    patient = world.register(
        name="सुनीता देवी",
        mobile="9876543210",
        locality="Kankarbagh",
        guardian_name="Rajesh",
        guardian_relation="husband",
    )
    client = world.client(Role.BILLING)
    live = client.get("/patients/?q=sunita", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in live
    assert f'href="/patients/{patient.pk}/"' in live
    # Enough to tell two patients of the same name apart.
    for fact in ("Kankarbagh", "Rajesh", "9876543210", patient.uhid, "30"):
        assert fact in live
    full = client.get("/patients/?q=nobody").content.decode()
    assert "No patient found." in full


def test_results_show_the_last_visit(world: ClinicWorld) -> None:
    from nidaan.encounters.actions import start_encounter

    patient = world.register(name="Ramesh Kumar")
    start_encounter(acting_user=world.user(Role.DOCTOR), patient=patient, facility=world.facility)
    (hit,) = search_patients(world.organisation.pk, "ramesh")
    assert hit.patient.last_visit is not None  # type: ignore[attr-defined]
    page = world.client(Role.RECEPTIONIST).get("/patients/?q=ramesh").content.decode()
    assert "last visit" in page
