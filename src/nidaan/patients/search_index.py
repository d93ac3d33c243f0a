"""Keeping the search index in step with the registry, inside the writing transaction.

Every action that writes a patient calls `reindex_patient` before it commits, and so
will sync when it applies a patient received from another node: a patient is findable
the moment the write is visible, never later.
"""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable
from types import SimpleNamespace
from typing import Any

from django.db import connection, transaction
from django.db.models import F

from nidaan.core.bulk import insert_raw, rows_where_in, stored_form
from nidaan.patients import merging, names
from nidaan.patients.models import (
    Patient,
    PatientMerge,
    SearchTerm,
    SearchTermVariant,
    SearchVocabulary,
    TermKind,
)

# Words shorter than this never need typo variants: a one-letter slip in a word of four
# letters or fewer is not corrected (too many real names lie one letter apart).
MIN_TYPO_TERM = 4


def one_deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def patient_terms(patient: Patient) -> set[tuple[int, str]]:
    if patient.is_erased:
        return set()  # an erased registration is found by nobody
    terms = {(TermKind.NAME_WORD.value, word) for word in names.search_words(patient.name)}
    if patient.mobile:
        terms.add((TermKind.MOBILE_REVERSED.value, patient.mobile[::-1]))
    return terms


def _add_to_vocabulary(organisation_id: uuid.UUID, words: Iterable[str]) -> None:
    words = set(words)
    if not words:
        return
    known = set(
        SearchVocabulary.objects.filter(
            organisation_id=organisation_id, term__in=words
        ).values_list("term", flat=True)
    )
    new = words - known
    SearchVocabulary.objects.bulk_create(
        [SearchVocabulary(organisation_id=organisation_id, term=word) for word in new],
        ignore_conflicts=True,
    )
    SearchTermVariant.objects.bulk_create(
        [
            SearchTermVariant(organisation_id=organisation_id, variant=variant, term=word)
            for word in new
            if len(word) >= MIN_TYPO_TERM
            for variant in {word} | one_deletions(word)
        ],
        ignore_conflicts=True,
    )
    SearchVocabulary.objects.filter(organisation_id=organisation_id, term__in=words).update(
        patients=F("patients") + 1
    )


@transaction.atomic
def reindex_patient(patient: Patient) -> None:
    """Make the index rows of `patient` match its current name, mobile and status."""
    current = set(SearchTerm.objects.filter(patient=patient).values_list("kind", "term"))
    # A record merged into another is found through the one that stands for both.
    hidden = patient.entered_in_error or merging.is_merged_away(patient)
    wanted = set() if hidden else patient_terms(patient)
    if current == wanted:
        return
    removed, added = current - wanted, wanted - current
    if removed:
        for kind, term in removed:
            SearchTerm.objects.filter(patient=patient, kind=kind, term=term).delete()
        SearchVocabulary.objects.filter(
            organisation_id=patient.organisation_id,
            term__in=[term for kind, term in removed if kind == TermKind.NAME_WORD],
        ).update(patients=F("patients") - 1)
    SearchTerm.objects.bulk_create(
        [
            SearchTerm(
                organisation_id=patient.organisation_id, kind=kind, term=term, patient=patient
            )
            for kind, term in added
        ]
    )
    _add_to_vocabulary(
        patient.organisation_id, [term for kind, term in added if kind == TermKind.NAME_WORD]
    )


@transaction.atomic
def index_new_patients(patients: list[Patient]) -> None:
    """Index patients that have no index rows yet, in bulk (imports, benchmarks, rebuilds).

    Same rows as `reindex_patient` one by one, with one vocabulary update per word.
    """
    by_org: dict[uuid.UUID, Counter[str]] = {}
    rows = []
    for patient in patients:
        if patient.entered_in_error:
            continue
        terms = patient_terms(patient)
        # Plain records, not SearchTerm instances: insert_raw reads attributes only, and
        # a replicated batch indexes thousands of patients.
        rows += [
            SimpleNamespace(
                organisation_id=patient.organisation_id,
                kind=kind,
                term=term,
                patient_id=patient.pk,
            )
            for kind, term in terms
        ]
        by_org.setdefault(patient.organisation_id, Counter()).update(
            term for kind, term in terms if kind == TermKind.NAME_WORD
        )
    # Prepared inserts: replicated patients arrive by the thousand (core.bulk).
    insert_raw(SearchTerm, rows, with_pk=False)
    for organisation_id, counts in by_org.items():
        known: dict[str, Any] = dict(
            rows_where_in(
                SearchVocabulary,
                ["term", "id"],
                "term",
                list(counts),
                where={"organisation_id": organisation_id},
            )
        )
        new = [word for word in counts if word not in known]
        SearchVocabulary.objects.bulk_create(
            [
                SearchVocabulary(organisation_id=organisation_id, term=word, patients=counts[word])
                for word in new
            ],
            batch_size=2000,
        )
        insert_raw(
            SearchTermVariant,
            [
                SimpleNamespace(organisation_id=organisation_id, variant=variant, term=word)
                for word in new
                if len(word) >= MIN_TYPO_TERM
                for variant in {word} | one_deletions(word)
            ],
            with_pk=False,
            ignore_conflicts=True,
        )
        _count_more([(counts[word], pk) for word, pk in known.items()])


def _count_more(increments: list[tuple[int, Any]]) -> None:
    """Add (count, vocabulary id) pairs to the words' patient counts in one prepared
    statement, not a query each."""
    if not increments:
        return
    meta, quote = SearchVocabulary._meta, connection.ops.quote_name
    table = quote(meta.db_table)
    count = quote(str(meta.get_field("patients").column))
    key = quote(str(meta.get_field("id").column))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET {count} = {count} + %s WHERE {key} = %s",  # noqa: S608
            increments,
        )


@transaction.atomic
def refresh_replicated(patients: list[Patient]) -> None:
    """After sync wrote `patients`: recompute their search key and index rows.

    Like the search key (Patient.derive_local_fields), the index is derived on each
    replica by its own code's rules rather than carried. A pulled batch holds thousands
    of patients, mostly new or edited in fields search does not use (an address), so
    their index rows are read in one query and only those that differ are redone.
    """
    # Ids as the database returns them: compared, never turned back into UUIDs.
    stored = stored_form(Patient, "id")
    ids = [patient.pk for patient in patients]
    current: dict[Any, set[tuple[int, str]]] = defaultdict(set)
    for patient_id, kind, term in rows_where_in(
        SearchTerm, ["patient_id", "kind", "term"], "patient_id", ids
    ):
        current[patient_id].add((kind, term))
    # Whether a merged record is shown depends on its whole group: the careful path.
    careful = {
        patient_id
        for column in ("merged_id", "survivor_id")
        for pair in rows_where_in(
            PatientMerge, ["merged_id", "survivor_id"], column, ids, where={"active": True}
        )
        for patient_id in pair
    }
    fresh = []
    for patient in patients:
        key = stored(patient.pk)
        if key in careful:
            reindex_patient(patient)
        elif key not in current:
            fresh.append(patient)
        elif patient.entered_in_error or current[key] != patient_terms(patient):
            reindex_patient(patient)
    index_new_patients(fresh)


def reindex_merged(merges: list[PatientMerge]) -> None:
    """After merges were made or undone: index each affected group's members afresh."""
    affected: set[uuid.UUID] = set()
    for merge in merges:
        affected |= {merge.merged_id, merge.survivor_id}
    groups: set[uuid.UUID] = set()
    for patient_id in affected:
        groups |= merging.group_of(patient_id)
    for patient in Patient.objects.filter(pk__in=groups | affected):
        reindex_patient(patient)
