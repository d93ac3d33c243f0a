from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from nidaan.core.models import ChangeLogEntry
from nidaan.patients.models import Patient, SearchTerm, SearchVocabulary
from nidaan.patients.search import search_patients
from tests.factories import ClinicWorld


def test_reindex_rebuilds_a_stale_index_without_logging_changes(world: ClinicWorld) -> None:
    sunita = world.register(name="सुनीता देवी", mobile="9876543210")
    world.register(name="Ramesh Kumar")
    before = set(SearchTerm.objects.values_list("patient_id", "kind", "term"))
    vocabulary = dict(SearchVocabulary.objects.values_list("term", "patients"))
    # Simulate an index built by older matching rules.
    stale = Patient.objects.get(pk=sunita.pk)
    stale.name_key = " sunitaa devee "
    stale.save(update_fields=["name_key"])
    SearchTerm.objects.filter(patient=sunita).delete()
    entries = ChangeLogEntry.objects.count()
    assert search_patients(world.organisation.pk, "sunita") == []

    out = StringIO()
    call_command("reindex-search", stdout=out)
    assert "indexed 2/2 patients" in out.getvalue()
    assert set(SearchTerm.objects.values_list("patient_id", "kind", "term")) == before
    assert dict(SearchVocabulary.objects.values_list("term", "patients")) == vocabulary
    assert [h.patient for h in search_patients(world.organisation.pk, "sunita")] == [sunita]
    assert Patient.objects.get(pk=sunita.pk).name_key == " sunit devi "
    assert ChangeLogEntry.objects.count() == entries
