# ruff: noqa: E402 - Django is set up before the project is imported
"""A replica under test, driven line by line over stdin/stdout by tests/sync/harness.py.

Runs as its own process with its own data directory (a real SQLite file for a node, or
the hub's database): the same code paths a clinic's node takes (actions, the sync
client over real HTTP), plus fault switches the tests flip. One JSON command per line in,
one JSON answer per line out.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import random
import sys
from typing import Any

import django

os.environ.setdefault(
    "DJANGO_SETTINGS_MODULE", f"nidaan.settings.{os.environ.get('NIDAAN_ROLE', 'node')}"
)
django.setup()

import httpx
from django.core.management import call_command
from django.db import (
    models,
    transaction,
)

from nidaan.accounts.models import User
from nidaan.core import hlc, node
from nidaan.core.models import ChangeLogEntry, NodeState
from nidaan.core.synced import registry
from nidaan.encounters import actions as visits
from nidaan.encounters.models import Allergy, VitalSigns
from nidaan.patients import actions as patients
from nidaan.patients.models import Patient
from nidaan.sync import client
from nidaan.sync.merge import row_to_wire
from nidaan.sync.models import SyncState
from nidaan.sync.wire import change_to_wire

_real_wall = hlc.wall_clock_ms
_skew_ms = 0


def _skewed_wall() -> int:
    return _real_wall() + _skew_ms


hlc.wall_clock_ms = _skewed_wall
node.wall_clock_ms = _skewed_wall  # type: ignore[attr-defined]


class FaultyTransport(httpx.BaseTransport):
    """Real HTTP to the hub, with a seeded adversary on the wire: requests dropped before
    sending, answers lost after the hub acted, requests sent twice, old requests replayed
    out of order, bodies truncated."""

    def __init__(self, seed: int, rate: float) -> None:
        self.inner = httpx.HTTPTransport()
        self.random = random.Random(seed)
        self.rate = rate
        self.sent: list[httpx.Request] = []
        self.faults: dict[str, int] = {}

    def _fault(self, name: str) -> bool:
        hit = self.random.random() < self.rate
        if hit:
            self.faults[name] = self.faults.get(name, 0) + 1
        return hit

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()
        if self._fault("drop"):
            raise httpx.ConnectError("injected: request dropped", request=request)
        if self.sent and self._fault("replay-old"):
            old = self.random.choice(self.sent)
            self.inner.handle_request(_copy(old)).read()
        if request.method in ("POST", "PUT") and self._fault("truncate"):
            cut = _copy(request, body=request.content[: len(request.content) // 2])
            return self.inner.handle_request(cut)
        if self._fault("duplicate"):
            self.inner.handle_request(_copy(request)).read()
        response = self.inner.handle_request(request)
        if request.method == "POST":
            self.sent.append(_copy(request))
        if self._fault("lose-answer"):
            response.read()
            raise httpx.ReadTimeout("injected: answer lost", request=request)
        return response


def _copy(request: httpx.Request, body: bytes | None = None) -> httpx.Request:
    content = request.content if body is None else body
    headers = {k: v for k, v in request.headers.items() if k.lower() != "content-length"}
    return httpx.Request(request.method, request.url, headers=headers, content=content)


def _user(username: str) -> User:
    """The demo clinic's user of that name; in a clinic without one, its admin."""
    found: User | None = User.objects.filter(username=username).first()
    if found is None:
        found = User.objects.filter(role="admin").order_by("date_joined").first()
    if found is None:
        raise LookupError("no users here yet: has this node synced?")
    return found


def op_setup() -> dict[str, Any]:
    call_command("migrate", verbosity=0)
    return {"node_id": str(node.identity().node_id)}


def op_skew(ms: int) -> dict[str, Any]:
    global _skew_ms
    _skew_ms = ms
    return {}


def op_enrol(hub: str, code: str, name: str) -> dict[str, Any]:
    state = client.enrol(hub, code, name)
    return {"series": NodeState.objects.get().series, "facility": str(state.facility_id)}


_faulty: dict[str, FaultyTransport] = {}


def op_sync(seed: int | None = None, rate: float = 0.0, check: bool = False) -> dict[str, Any]:
    transport = None
    if seed is not None:
        # One wire for the life of the process, so old requests can be replayed later.
        transport = _faulty.setdefault("wire", FaultyTransport(seed, rate))
        transport.random.seed(seed)
        transport.rate = rate
        transport.faults = {}
    try:
        report = client.sync_once(transport=transport, check=check)
    except client.SyncError as error:
        return {"failed": str(error), "faults": transport.faults if transport else {}}
    return {
        "pushed": report.pushed,
        "pulled": report.pulled,
        "snapshot_rows": report.snapshot_rows,
        "repaired": report.repaired_buckets,
        "held_on_hub": report.quarantined_on_hub,
        "blobs_sent": report.blobs_sent,
        "blobs_received": report.blobs_received,
        "blob_bytes_sent": report.blob_bytes_sent,
        "audit_sent": report.audit_sent,
        "audit_refused": report.audit_refused,
        "faults": transport.faults if transport else {},
    }


def op_push() -> dict[str, Any]:
    session = client.Session(SyncState.objects.get())
    try:
        session.push()
    finally:
        session.close()
    return {"pushed": session.report.pushed}


def op_pull() -> dict[str, Any]:
    session = client.Session(SyncState.objects.get())
    try:
        session.pull()
    finally:
        session.close()
    return {"pulled": session.report.pulled}


def op_crash_during_sync(point: str) -> dict[str, Any]:
    os.environ["NIDAAN_SYNC_CRASH_AT"] = point
    client.sync_once()
    return {"survived": point}  # the point was not reached in this round


def op_register(name: str, mobile: str = "") -> dict[str, Any]:
    reception = _user("reception")
    patient = patients.register_patient(
        acting_user=reception,
        facility=reception.home_facility,
        demographics={
            "name": name,
            "sex": "F",
            "date_of_birth": datetime.date(1990, 1, 1),
            "date_of_birth_estimated": True,
            "mobile": mobile,
        },
    )
    return {"id": str(patient.pk), "uhid": patient.uhid}


def _patient(patient_id: str) -> Patient | None:
    return Patient.objects.filter(pk=patient_id).first()


def op_edit(patient_id: str, field: str, value: str) -> dict[str, Any]:
    patient = _patient(patient_id)
    if patient is None:
        return {"skipped": "patient not here yet"}
    changed = patients.update_patient(
        patient, acting_user=_user("reception"), demographics={field: value}
    )
    return {"changed": changed}


def op_visit(patient_id: str, pulse: int) -> dict[str, Any]:
    patient = _patient(patient_id)
    if patient is None:
        return {"skipped": "patient not here yet"}
    doctor = _user("doctor")
    encounter = visits.start_encounter(
        acting_user=doctor, patient=patient, facility=doctor.home_facility
    )
    vitals = visits.record_vitals(encounter, {"pulse": pulse}, acting_user=doctor)
    return {"encounter": str(encounter.pk), "vitals": str(vitals.pk)}


def op_amend_vitals(patient_id: str, pulse: int) -> dict[str, Any]:
    """Amend the oldest current vitals version this replica holds: two replicas amending
    the same version offline make concurrent siblings."""
    first = VitalSigns.objects.filter(patient_id=patient_id).current().order_by("id").first()
    if first is None:
        return {"skipped": "no vitals here yet"}
    with transaction.atomic():
        version = visits.amend(
            first, {"pulse": pulse}, acting_user=_user("doctor"), reason="re-measured"
        )
    return {"version": str(version.pk)}


def op_allergy(patient_id: str, substance: str) -> dict[str, Any]:
    patient = _patient(patient_id)
    if patient is None:
        return {"skipped": "patient not here yet"}
    allergy = visits.record_allergy(patient, {"substance": substance}, acting_user=_user("doctor"))
    return {"allergy": str(allergy.pk)}


def op_remove_allergy(patient_id: str) -> dict[str, Any]:
    current = Allergy.objects.filter(patient_id=patient_id).in_use().order_by("id").first()
    if current is None:
        return {"skipped": "no allergy here"}
    visits.mark_entered_in_error(current, acting_user=_user("doctor"), reason="recorded in error")
    return {}


def op_merge(survivor: str, merged: str) -> dict[str, Any]:
    kept, gone = _patient(survivor), _patient(merged)
    if kept is None or gone is None:
        return {"skipped": "patient not here yet"}
    try:
        merge = patients.merge_patients(
            survivor=kept, merged=gone, reason="same person", acting_user=_user("admin")
        )
    except patients.MergeRefused as refusal:
        return {"skipped": str(refusal)}
    return {"merge": str(merge.pk)}


def op_unmerge_any(patient_id: str) -> dict[str, Any]:
    from nidaan.patients.models import PatientMerge

    merge = (
        PatientMerge.objects.filter(active=True)
        .filter(models.Q(merged_id=patient_id) | models.Q(survivor_id=patient_id))
        .order_by("id")
        .first()
    )
    if merge is None:
        return {"skipped": "not merged here"}
    patients.unmerge_patients(merge, reason="different people", acting_user=_user("admin"))
    return {}


def op_shown_as() -> dict[str, str]:
    """For every patient here, the record shown for it (merges resolved)."""
    from nidaan.patients import merging

    return {str(p.pk): str(merging.representative(p).pk) for p in Patient.objects.all()}


def op_history_visits(patient_id: str) -> list[str]:
    from nidaan.encounters.history import patient_history
    from nidaan.patients import merging

    patient = _patient(patient_id)
    if patient is None:
        return []
    shown = merging.representative(patient)
    return sorted(str(v.encounter.pk) for v in patient_history(shown, "C").visits)


def op_upload(patient_id: str, size: int, seed: int) -> dict[str, Any]:
    """A scanned report of `size` bytes (a PDF header and seeded noise)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from nidaan.documents import actions as documents

    patient = _patient(patient_id)
    if patient is None:
        return {"skipped": "patient not here yet"}
    body = b"%PDF-1.4\n" + random.Random(seed).randbytes(size - 16) + b"\n%%EOF\n"
    document = documents.upload_document(
        acting_user=_user("reception"),
        patient=patient,
        upload=SimpleUploadedFile("report.pdf", body, content_type="application/pdf"),
    )
    return {"document": str(document.pk), "sha256": document.sha256}


def op_blob(sha256: str) -> dict[str, Any]:
    from nidaan.documents import storage

    try:
        return {"size": len(storage.read(sha256))}
    except storage.BlobError as error:
        return {"missing": str(error)}


def op_send_first_chunk(sha256: str) -> dict[str, Any]:
    """The link drops after the first megabyte of an upload."""
    from nidaan.documents import storage
    from nidaan.sync import blobs

    state = SyncState.objects.get()
    piece = storage.read(sha256)[: blobs.CHUNK]
    response = httpx.put(
        f"{state.hub_url}/sync/v1/blobs/{sha256}",
        params={"offset": 0},
        content=piece,
        headers={"Authorization": f"Bearer {state.credential}"},
    )
    return {"status": response.status_code, "body": response.json()}


def op_corrupt_row(patient_id: str) -> dict[str, Any]:
    """Silent divergence: a row changed behind sync's back (a restored backup, a bug)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE patients_patient SET district = 'Corrupted' WHERE id = %s",
            [uuid_hex(patient_id)],
        )
    return {}


def uuid_hex(value: str) -> str:
    import uuid

    return uuid.UUID(value).hex


def op_bill(patient_id: str) -> dict[str, Any]:
    """A consultation fee and a medicine, billed at the counter."""
    from nidaan.billing import actions as billing
    from nidaan.billing.models import CatalogueEntry

    patient = _patient(patient_id)
    if patient is None:
        return {"skipped": "patient not here yet"}
    reception = _user("reception")
    entries = list(CatalogueEntry.objects.order_by("code")[:2])
    bill = billing.issue_bill(
        acting_user=reception,
        facility=reception.home_facility,
        patient=patient,
        lines=[billing.LineRequest(entry=entry) for entry in entries],
    )
    return {"number": bill.number, "total": str(bill.total)}


def op_bill_numbers() -> list[str]:
    from nidaan.billing.models import Bill

    return sorted(Bill.objects.values_list("number", flat=True))


def op_token(patient_id: str) -> dict[str, Any]:
    from nidaan.opd import actions as opd

    patient = _patient(patient_id)
    if patient is None:
        return {"skipped": "patient not here yet"}
    reception = _user("reception")
    entry = opd.issue_token(
        acting_user=reception,
        patient=patient,
        doctor=_user("doctor"),
        facility=reception.home_facility,
    )
    return {"label": entry.label}


def op_tokens_today() -> list[str]:
    from nidaan.opd.models import QueueEntry

    return sorted(entry.label for entry in QueueEntry.objects.all())


def op_state(org: str | None = None) -> dict[str, Any]:
    """The materialised state (every synced row, its values and field clocks) and the
    set of changes held, in a form two replicas can be compared by."""
    rows: dict[str, str] = {}
    for entity, model in sorted(registry().items()):
        query = model._base_manager.all()
        if org:
            query = query.filter(model.org_filter(org))
        for obj in query.order_by("pk"):
            wire = row_to_wire(obj)
            rows[f"{entity}:{obj.pk}"] = hashlib.sha256(
                json.dumps(wire, sort_keys=True).encode()
            ).hexdigest()
    held_changes = ChangeLogEntry.objects.values_list("node_id", "node_seq")
    changes = sorted(f"{n}:{s}" for n, s in held_changes)
    held = list(
        ChangeLogEntry.objects.exclude(quarantine_reason="").values_list(
            "node_id", "node_seq", "quarantine_reason"
        )
    )
    return {
        "rows": rows,
        "changes": changes,
        "held": [[str(a), b, c] for a, b, c in held],
        "node_id": str(node.identity().node_id),
    }


def op_http(method: str, path: str, body: Any = None) -> dict[str, Any]:
    """A raw request with this node's credential: what a hostile or buggy node could send."""
    state = SyncState.objects.get()
    response = httpx.request(
        method,
        f"{state.hub_url}{path}",
        json=body,
        headers={"Authorization": f"Bearer {state.credential}"},
        timeout=30,
    )
    try:
        payload = response.json()
    except ValueError:
        payload = response.text[:500]
    return {"status": response.status_code, "body": payload}


def op_last_change() -> dict[str, Any]:
    entry = ChangeLogEntry.objects.filter(node_id=node.identity().node_id).order_by("-node_seq")
    first = entry.first()
    return change_to_wire(first) if first else {}


def op_reset_pull_cursor() -> dict[str, Any]:
    """Re-delivery: forget how far this node pulled, so everything comes again."""
    SyncState.objects.filter(pk=SyncState.SINGLETON_ID).update(pulled_through=1)
    return {}


def op_audit_tamper(seq: int, relink: bool = False, node_id: str | None = None) -> dict[str, Any]:
    """Someone with the database file edits audit event `seq` (of this replica's own chain,
    or of `node_id`'s copy on the hub); with `relink` they also recompute every later hash
    and the head, as a careful attacker would."""
    from nidaan.audit import chain
    from nidaan.audit.models import AuditEvent, AuditHead

    head = AuditHead.objects.get(node_id=node_id) if node_id else AuditHead.objects.get(local=True)
    events = list(AuditEvent.objects.filter(node_id=head.node_id, seq__gte=seq).order_by("seq"))
    with transaction.atomic():
        events[0].actor_username = "nobody"
        previous = events[0].prev_hash
        for event in events if relink else events[:1]:
            event.prev_hash = previous if relink else event.prev_hash
            if relink:
                event.hash = chain.event_hash(chain.values_of(event))
            event.save()
            previous = event.hash
        if relink:
            AuditHead.objects.filter(pk=head.pk).update(hash=previous)
    return {"node_id": str(head.node_id)}


def op_audit_summary() -> dict[str, Any]:
    """Audit events held here per node (count, highest seq), the received chains and what
    `nidaan audit verify` finds."""
    from django.db.models import Count, Max

    from nidaan.audit.models import AuditEvent, NodeChain
    from nidaan.audit.verify import verify_all

    per_node = {
        str(row["node_id"]): [row["n"], row["top"]]
        for row in AuditEvent.objects.values("node_id").annotate(n=Count("id"), top=Max("seq"))
    }
    chains = {
        str(c.node_id): {"org": str(c.organisation_id), "name": c.name, "refused": c.refused_reason}
        for c in NodeChain.objects.all()
    }
    report = verify_all()
    breaks = [[str(b.node_id), b.seq, b.kind] for b in report.breaks]
    return {"per_node": per_node, "chains": chains, "breaks": breaks}


def op_audit_write(count: int, patient_id: str | None = None) -> dict[str, Any]:
    """`count` audited reads of a patient (a doctor opening the chart)."""
    from nidaan.audit.models import AuditAction
    from nidaan.audit.record import Origin, record

    patient = _patient(patient_id) if patient_id else Patient.objects.order_by("id").first()
    for _ in range(count):
        record(
            AuditAction.VIEW,
            actor=_user("doctor"),
            target=patient,
            patient_id=patient.pk if patient else None,
            origin=Origin(channel="web", address="10.0.0.7"),
        )
    return {}


def op_audit_wire(first: int, last: int) -> list[dict[str, Any]]:
    """This PC's own audit events `first`..`last` as they travel to the hub."""
    from nidaan.audit.models import AuditEvent, AuditHead
    from nidaan.audit.wire import event_to_wire

    head = AuditHead.objects.get(local=True)
    events = AuditEvent.objects.filter(node_id=head.node_id, seq__gte=first, seq__lte=last)
    return [event_to_wire(event) for event in events.order_by("seq")]


def op_erase(patient_id: str) -> dict[str, Any]:
    """The admin carries out an erasure request (privacy.actions.erase_patient)."""
    from nidaan.audit.record import CLI
    from nidaan.privacy import actions as privacy

    patient = _patient(patient_id)
    if patient is None:
        return {"skipped": "patient not here yet"}
    erasure = privacy.erase_patient(patient, acting_user=_user("admin"), origin=CLI)
    return {"erasure": str(erasure.pk)}


def op_personal(patient_id: str, secret: str) -> dict[str, Any]:
    """The patient's personal fields here, and how many stored changes, search words and
    vocabulary entries still contain `secret`."""
    from nidaan.patients.models import SearchTerm, SearchTermVariant, SearchVocabulary

    patient = _patient(patient_id)
    needle = secret.lower()
    in_log = sum(
        1
        for fields in ChangeLogEntry.objects.values_list("fields", flat=True)
        if needle in json.dumps(fields, ensure_ascii=False).lower()
    )
    return {
        "name": patient.name if patient else None,
        "name_latin": patient.name_latin if patient else None,
        "mobile": patient.mobile if patient else None,
        "changes_with_secret": in_log,
        "search_terms": SearchTerm.objects.filter(patient_id=patient_id).count(),
        "vocabulary": SearchVocabulary.objects.filter(term__contains=needle).count()
        + SearchTermVariant.objects.filter(term__contains=needle).count(),
    }


def op_database_key() -> dict[str, Any]:
    """The key of this replica's SQLCipher pages (None when its file is plain), so a test
    can decrypt every page of the file, free ones included, and look for erased values."""
    from pathlib import Path

    from django.conf import settings

    from nidaan import keys

    path = Path(settings.DATABASES["default"]["NAME"])
    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        return {"key": None}
    if keys.database_file_state(path) == "plain":
        return {"key": None}
    return {"key": keys.derive("nidaan/sqlcipher/v1").hex()}


def main() -> None:
    handlers = {name[3:]: fn for name, fn in globals().items() if name.startswith("op_")}
    for line in sys.stdin:
        command = json.loads(line)
        try:
            answer = {"ok": handlers[command["op"]](**command.get("args", {}))}
        except Exception as error:  # noqa: BLE001 - reported to the test, which fails
            answer = {"error": f"{type(error).__name__}: {error}"}
        sys.stdout.write(json.dumps(answer, default=str) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
