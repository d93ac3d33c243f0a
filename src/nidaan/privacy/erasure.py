"""Carrying out an erasure on this replica, the same way on every replica.

DPDP Act s.12(3): personal data is erased on request unless retention is necessary for
compliance with a law (privacy/retention.py decides). An erasure is a replicated,
append-only fact (`PatientErasure`); wherever it is held, this module makes sure that:

- the patient's personal fields read as redaction markers (`REDACTED_PATIENT`), whatever
  older or concurrent changes to them arrive later: the row keeps the clocks the merge
  gave it, so every replica ends with the same values and clocks (convergence);
- the stored change log keeps no erased value: every change of the patient's row, and of
  their documents, has those values replaced, including changes that arrive after the
  erasure (they are redacted in the transaction that stores them, so the hub never
  serves them to another PC or to a new PC's bootstrap);
- the patient leaves the search index (and name words no other patient carries leave
  its vocabulary);
- the patient's document files are deleted from the blob store (rows are kept, redacted,
  as the record that a document existed);
- on SQLite, deleted content is overwritten (`secure_delete`, set for every connection in
  settings) and the write-ahead log is truncated after commit, so the old values are not
  left in the database file's free pages or in the WAL.

Clinical records (visits, notes, prescriptions) are not personal identifiers by
themselves and are kept under the patient's id; an erasure is only allowed once the law
no longer requires them either (retention.py).
"""

from __future__ import annotations

import datetime
import json
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection, transaction

from nidaan.core.changelog import ChangeEncoder
from nidaan.core.ids import uuid_from_text
from nidaan.core.models import ChangeLogEntry
from nidaan.core.synced import on_changes_stored
from nidaan.documents import storage
from nidaan.documents.models import Document
from nidaan.patients.models import (
    ERASED_NAME,
    Patient,
    SearchTerm,
    SearchTermVariant,
    SearchVocabulary,
    TermKind,
)
from nidaan.patients.search_index import reindex_patient

# What an erased patient's personal fields become (by attribute name). The UHID stays:
# it is the clinic's own number and the key other records are filed under.
REDACTED_PATIENT: dict[str, Any] = {
    "name": ERASED_NAME,
    "name_latin": ERASED_NAME,
    "mobile": "",
    "address_line": "",
    "locality": "",
    "district": "",
    "state": "",
    "pin": "",
    "guardian_name": "",
    "guardian_relation": "",
    "abha_number": "",
    "abha_address": "",
    "date_of_birth": datetime.date(1900, 1, 1),
    "date_of_birth_estimated": True,
}
REDACTED_DOCUMENT: dict[str, Any] = {"title": "", "original_filename": ERASED_NAME, "sha256": ""}

_PATIENT = Patient.entity_name()
_DOCUMENT = Document.entity_name()


def _as_payload(values: dict[str, Any]) -> dict[str, Any]:
    payload: dict[str, Any] = json.loads(json.dumps(values, cls=ChangeEncoder))
    return payload


_PATIENT_PAYLOAD = _as_payload(REDACTED_PATIENT)
_DOCUMENT_PAYLOAD = _as_payload(REDACTED_DOCUMENT)


def erased_among(patient_ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
    from nidaan.privacy.models import PatientErasure

    wanted = set(patient_ids)
    if not wanted:
        return set()
    return set(
        PatientErasure.objects.filter(patient_id__in=wanted).values_list("patient_id", flat=True)
    )


def _redact_patient_row(patient: Patient) -> None:
    changed = [name for name, value in REDACTED_PATIENT.items() if getattr(patient, name) != value]
    if changed:
        for name in changed:
            setattr(patient, name, REDACTED_PATIENT[name])
        # Raw save: this replica derives the same values from the same fact, as every
        # other replica does; the merge's field clocks are kept as they are.
        patient.save_base(raw=True, update_fields=[*changed, *patient.derive_local_fields()])
    words = list(
        SearchTerm.objects.filter(patient=patient, kind=TermKind.NAME_WORD).values_list(
            "term", flat=True
        )
    )
    reindex_patient(patient)  # an erased patient has no index rows
    _forget_unused_words(patient.organisation_id, words)


def _forget_unused_words(organisation_id: uuid.UUID, words: list[str]) -> None:
    """Name words no patient carries any more leave the vocabulary and its typo variants
    (a rare surname would otherwise stay in the database file)."""
    unused = SearchVocabulary.objects.filter(organisation_id=organisation_id, patients__lte=0)
    gone = set(unused.values_list("term", flat=True)) | (
        set(words)
        - set(
            SearchTerm.objects.filter(
                organisation_id=organisation_id, kind=TermKind.NAME_WORD, term__in=words
            ).values_list("term", flat=True)
        )
    )
    if gone:
        SearchVocabulary.objects.filter(organisation_id=organisation_id, term__in=gone).delete()
        SearchTermVariant.objects.filter(organisation_id=organisation_id, term__in=gone).delete()


def _redact_payloads(entity: str, ids: list[uuid.UUID], redacted: dict[str, Any]) -> None:
    if not ids:
        return
    for entry in ChangeLogEntry.objects.filter(entity=entity, entity_id__in=ids).only(
        "id", "fields"
    ):
        fields = entry.fields if isinstance(entry.fields, dict) else {}
        clean = {k: (redacted[k] if k in redacted else v) for k, v in fields.items()}
        if clean != fields:
            ChangeLogEntry.objects.filter(pk=entry.pk).update(fields=clean)


def _delete_files(shas: set[str]) -> None:
    still_used = set(Document.objects.filter(sha256__in=shas).values_list("sha256", flat=True))
    incoming = Path(settings.DATA_DIR) / "blobs" / "incoming"
    for sha in shas - still_used:
        for path in (storage.blob_path(sha), incoming / sha):
            path.unlink(missing_ok=True)


def _scrub_database_file() -> None:
    """Fold the WAL into the database and truncate it: the WAL still holds the pages as
    they were before the erasure until then (SQLite's `wal_checkpoint(TRUNCATE)`)."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        return  # a checkpoint cannot run inside a transaction
    try:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except DatabaseError:
        pass  # busy: SQLite's next automatic checkpoint folds it in; the WAL is reused


def erase_on_this_replica(patient_ids: set[uuid.UUID]) -> None:
    """Make this replica hold none of these erased patients' personal data (idempotent).

    Runs inside the transaction that records or receives the erasure, or that stores a
    change of an erased patient; files are deleted and the WAL truncated after commit.
    """
    if not patient_ids:
        return
    ids = sorted(patient_ids)
    for patient in Patient._base_manager.filter(pk__in=ids):
        _redact_patient_row(patient)
    documents = Document._base_manager.filter(patient_id__in=ids)
    document_ids = list(documents.values_list("pk", flat=True))
    shas = {sha for sha in documents.values_list("sha256", flat=True) if sha}
    # A document row is an append-only record: it stays, as the record that a file was
    # there, without its name or content (same derived values on every replica).
    documents.exclude(**REDACTED_DOCUMENT).update(**REDACTED_DOCUMENT)
    _redact_payloads(_PATIENT, ids, _PATIENT_PAYLOAD)
    _redact_payloads(_DOCUMENT, document_ids, _DOCUMENT_PAYLOAD)
    if shas:
        transaction.on_commit(lambda: _delete_files(shas))
    transaction.on_commit(_scrub_database_file)


def _patients_touched(entries: list[Any]) -> set[uuid.UUID]:
    found: set[uuid.UUID] = set()
    for entry in entries:
        if entry.entity == _PATIENT:
            found.add(entry.entity_id)
        fields = entry.fields if isinstance(entry.fields, dict) else {}
        raw = fields.get("patient_id")
        if isinstance(raw, str):
            try:
                found.add(uuid_from_text(raw))
            except ValueError:
                continue
    return found


def redact_stored_changes(entries: list[Any]) -> None:
    """Sync's hook: changes just stored that touch an erased patient lose their values,
    and the patient's row is made erased again (a later change may have won the merge)."""
    from nidaan.privacy.models import PatientErasure

    # Most replicas have never erased anyone: one indexed probe per batch instead of
    # reading every change's patient. The batch's own rows are stored by now, so an
    # erasure arriving in it is seen.
    if not PatientErasure.objects.exists():
        return
    erased = erased_among(_patients_touched(entries))
    if erased:
        erase_on_this_replica(erased)


def install() -> None:
    on_changes_stored(redact_stored_changes)
