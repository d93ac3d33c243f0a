from __future__ import annotations

from nidaan.patients.forms import PatientForm
from nidaan.patients.models import Patient, SearchTerm, SearchVocabulary
from nidaan.patients.search_index import index_new_patients, reindex_patient
from tests.factories import ClinicWorld


def index_rows(patient: Patient) -> set[tuple[int, str]]:
    return set(SearchTerm.objects.filter(patient=patient).values_list("kind", "term"))


def test_bulk_indexing_gives_the_same_rows_as_one_by_one(world: ClinicWorld) -> None:
    one_by_one = world.register(name="सुनीता देवी", mobile="9876543210")
    expected = index_rows(one_by_one)
    vocabulary = dict(SearchVocabulary.objects.values_list("term", "patients"))

    form = PatientForm({"name": "Sunita Devi", "sex": "F", "age": 30, "mobile": "9812345678"})
    assert form.is_valid()
    bulk = Patient(
        organisation=world.organisation,
        registered_at=world.facility,
        uhid="TEST-0001-0",
        **form.demographics(),
    )
    bulk.name_latin, bulk.name_key = "Sunita Devi", " sunit devi "
    bulk.save()
    index_new_patients([bulk])
    assert {t for t in index_rows(bulk) if t[0] == 1} == {t for t in expected if t[0] == 1}
    after = dict(SearchVocabulary.objects.values_list("term", "patients"))
    assert after["sunit"] == vocabulary["sunit"] + 1
    assert after["devi"] == vocabulary["devi"] + 1


def test_renaming_moves_the_index_and_the_vocabulary_counts(world: ClinicWorld) -> None:
    patient = world.register(name="Ramesh Kumar", mobile="9876543210")
    patient.name = "Suresh Kumar"
    patient.mobile = ""
    reindex_patient(patient)
    assert index_rows(patient) == {(1, "sures"), (1, "kumr")}
    counts = dict(SearchVocabulary.objects.values_list("term", "patients"))
    assert counts["rames"] == 0
    assert counts["sures"] == 1
    assert counts["kumr"] == 1


def test_a_patient_entered_in_error_leaves_the_index(world: ClinicWorld) -> None:
    patient = world.register(name="Ramesh Kumar", mobile="9876543210")
    patient.entered_in_error = True
    reindex_patient(patient)
    assert index_rows(patient) == set()
