"""The node's side of sync: enrol once, then push, pull, move files and check.

Push before pull (read-your-writes after one round). Every step is resumable: the hub
acknowledges pushes by node_seq, pulled batches are applied together with their
cursor, files resume at the byte they stopped. A process killed anywhere re-sends at
most the batch it was in.
"""

from __future__ import annotations

import gzip
import random
import socket
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
from django.db import transaction

from nidaan.audit.models import AuditEvent, AuditHead
from nidaan.audit.purge import note_shipped
from nidaan.audit.wire import event_to_wire
from nidaan.core import fastjson, node
from nidaan.core.models import ChangeLogEntry
from nidaan.documents import storage
from nidaan.documents.models import Document
from nidaan.sync import actions, blobs, checksums
from nidaan.sync.durability import replayable_commits
from nidaan.sync.faults import crash_point
from nidaan.sync.merge import apply_rows, collector_paused
from nidaan.sync.models import SyncState
from nidaan.sync.wire import change_to_wire, parse_changes

MIN_BATCH, MAX_BATCH = 10, 1000
TIMEOUT = httpx.Timeout(60.0, connect=10.0)


class SyncError(RuntimeError):
    """Sync could not finish; the message is what the status strip shows."""


class NotEnrolled(SyncError):
    pass


class HubRefused(SyncError):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class SyncReport:
    pushed: int = 0
    pulled: int = 0
    quarantined_on_hub: list[dict[str, Any]] = field(default_factory=list)
    snapshot_rows: int = 0
    blobs_sent: int = 0
    blob_bytes_sent: int = 0
    blobs_received: int = 0
    repaired_buckets: list[int] = field(default_factory=list)
    audit_sent: int = 0
    # Why the hub refused this PC's audit chain (shown as the sync error; data still syncs).
    audit_refused: str = ""


def enrol(hub_url: str, code: str, name: str = "") -> SyncState:
    if SyncState.objects.exists():
        raise SyncError("this node is already enrolled; use a fresh data directory to re-enrol")
    from nidaan.clinics.models import Organisation

    identity = node.identity()
    body = {
        "code": code,
        "node_id": str(identity.node_id),
        "uhid_prefix": identity.uhid_prefix,
        "name": name or socket.gethostname(),
    }
    try:
        response = httpx.post(f"{hub_url.rstrip('/')}/sync/v1/enrol", json=body, timeout=TIMEOUT)
    except httpx.HTTPError as error:
        raise SyncError(f"cannot reach the hub at {hub_url}: {error}") from None
    answer = _answer(response)
    if Organisation.objects.exclude(pk=answer["organisation_id"]).exists():
        raise SyncError(
            "this data directory already holds another clinic's records; "
            "enrol a fresh data directory (NIDAAN_DATA_DIR)"
        )
    return actions.record_enrolment(
        hub_url=hub_url.rstrip("/"),
        credential=answer["credential"],
        organisation_id=answer["organisation_id"],
        facility_id=answer["facility_id"],
        series=answer["series"],
        hub_time_ms=answer["hub_time"],
    )


def _error_text(response: httpx.Response) -> str:
    try:
        payload = response.json()
    except ValueError:
        return response.text[:200]
    return str(payload.get("error", "")) if isinstance(payload, dict) else str(payload)[:200]


def _answer(response: httpx.Response) -> Any:
    try:
        payload = fastjson.loads(response.content)
    except ValueError:
        payload = {"error": response.text[:200]}
    if response.status_code >= 400:
        message = payload.get("error") if isinstance(payload, dict) else None
        raise HubRefused(
            response.status_code,
            f"hub refused ({response.status_code}): {message or response.text[:200]}",
        )
    return payload


class Session:
    """One sync run against the hub, with the node's credential and batch size."""

    def __init__(self, state: SyncState, transport: httpx.BaseTransport | None = None) -> None:
        self.state = state
        self.http = httpx.Client(
            base_url=state.hub_url,
            headers={"Authorization": f"Bearer {state.credential}", "Accept-Encoding": "gzip"},
            timeout=TIMEOUT,
            transport=transport,
        )
        self.batch = max(MIN_BATCH, min(state.batch_size, MAX_BATCH))
        self.report = SyncReport()

    def close(self) -> None:
        self.http.close()

    def _grow(self) -> None:
        self.batch = min(MAX_BATCH, int(self.batch * 1.5) + 1)

    def shrink(self) -> None:
        self.batch = max(MIN_BATCH, self.batch // 2)

    # -- push -----------------------------------------------------------------------

    def push(self) -> None:
        own = node.identity().node_id
        while True:
            acked = SyncState.objects.get(pk=SyncState.SINGLETON_ID).pushed_through
            pending = list(
                ChangeLogEntry.objects.filter(node_id=own, node_seq__gt=acked).order_by("node_seq")[
                    : self.batch
                ]
            )
            if not pending:
                return
            body = fastjson.dumps_bytes(
                {
                    "node_id": str(own),
                    "from_seq": pending[0].node_seq,
                    "changes": [change_to_wire(entry) for entry in pending],
                }
            )
            crash_point("push.before_send")
            response = self.http.post(
                "/sync/v1/push",
                content=gzip.compress(body, 5),
                headers={"Content-Encoding": "gzip", "Content-Type": "application/json"},
            )
            crash_point("push.sent")
            if response.status_code == 409:
                # The hub holds less (or more) of our log than we thought: resume there.
                high_water = int(response.json()["high_water"])
                _reset_pushed(high_water)
                continue
            answer = _answer(response)
            actions.acknowledge_push(acked_through=int(answer["acked_through_seq"]))
            actions.set_clock_offset(int(answer["hub_time"]))
            crash_point("push.acked")
            self.report.pushed += len(pending)
            self.report.quarantined_on_hub.extend(answer.get("quarantined", []))
            self._grow()

    # -- audit ----------------------------------------------------------------------

    def push_audit(self) -> None:
        """Ship this PC's audit chain from where the hub's copy ends (it says where)."""
        head = AuditHead.objects.filter(local=True).first()
        if head is None:
            return
        through = int(_answer(self.http.get("/sync/v1/audit"))["received_through"])
        note_shipped(node_id=head.node_id, through=through)
        while True:
            events = list(
                AuditEvent.objects.filter(node_id=head.node_id, seq__gt=through).order_by("seq")[
                    : self.batch
                ]
            )
            if not events:
                return
            body = fastjson.dumps_bytes(
                {
                    "node_id": str(head.node_id),
                    "from_seq": events[0].seq,
                    "events": [event_to_wire(event) for event in events],
                }
            )
            response = self.http.post(
                "/sync/v1/audit",
                content=gzip.compress(body, 5),
                headers={"Content-Encoding": "gzip", "Content-Type": "application/json"},
            )
            if response.status_code == 409:
                through = int(response.json()["received_through"])
                continue
            if response.status_code == 400:
                # A refused chain must not stop the clinic's records from syncing.
                self.report.audit_refused = str(_error_text(response))
                return
            through = int(_answer(response)["received_through"])
            note_shipped(node_id=head.node_id, through=through)
            self.report.audit_sent += len(events)

    # -- pull -----------------------------------------------------------------------

    def pull(self) -> None:
        state = SyncState.objects.get(pk=SyncState.SINGLETON_ID)
        if state.pulled_through == 0:
            self.bootstrap()
        while True:
            after = SyncState.objects.get(pk=SyncState.SINGLETON_ID).pulled_through
            response = self.http.get("/sync/v1/pull", params={"after": after, "limit": self.batch})
            with collector_paused():  # decoding makes as many objects as applying
                answer = _answer(response)
                self.report.pulled += apply_pull_answer(answer)
            crash_point("pull.applied")
            if not answer["has_more"]:
                return
            self._grow()

    def bootstrap(self) -> None:
        """A node that has pulled nothing starts from the hub's snapshot."""
        with self.http.stream("GET", "/sync/v1/snapshot") as response:
            if response.status_code >= 400:
                response.read()
                _answer(response)
            lines = _ndjson(response.iter_raw())
            header = next(lines)
            position = int(header["server_seq"])
            if position == 0:
                return
            with transaction.atomic():
                state = SyncState.objects.select_for_update().get(pk=SyncState.SINGLETON_ID)
                rows: list[dict[str, Any]] = []
                ended = False
                for line in lines:
                    if line.get("end"):
                        ended = True
                        break
                    rows.append(line)
                    if len(rows) >= 2000:
                        self.report.snapshot_rows += apply_rows(rows)
                        rows = []
                if not ended:
                    raise SyncError("the snapshot was cut off; it will be fetched again")
                self.report.snapshot_rows += apply_rows(rows)
                crash_point("snapshot.applied")
                state.pulled_through = position
                state.save(update_fields=["pulled_through"])

    # -- files ----------------------------------------------------------------------

    def send_blobs(self) -> None:
        for sha256 in _local_blobs_hub_may_lack():
            head = self.http.head(f"/sync/v1/blobs/{sha256}")
            if head.status_code == 200:
                _mark_sent(sha256)
                continue
            offset = int(head.headers.get("X-Received-Bytes", "0"))
            content = storage.read(sha256)
            while True:
                piece = content[offset : offset + blobs.CHUNK]
                response = self.http.put(
                    f"/sync/v1/blobs/{sha256}", params={"offset": offset}, content=piece
                )
                if response.status_code == 409:
                    offset = int(response.json()["received_bytes"])
                    continue
                answer = _answer(response)
                self.report.blob_bytes_sent += len(piece)
                if answer.get("complete"):
                    break
                offset += len(piece)
            _mark_sent(sha256)
            self.report.blobs_sent += 1

    def fetch_blobs(self) -> None:
        # An erased patient's documents have no file any more (sha256 "").
        wanted = set(Document.objects.exclude(sha256="").values_list("sha256", flat=True))
        for sha256 in sorted(wanted):
            if blobs.have(sha256):
                continue
            partial = blobs._partial(sha256)
            start = partial.stat().st_size if partial.exists() else 0
            headers = {"Range": f"bytes={start}-"} if start else {}
            with self.http.stream("GET", f"/sync/v1/blobs/{sha256}", headers=headers) as response:
                if response.status_code == 404:
                    continue  # not on the hub yet (its node has not sent it)
                if response.status_code not in (200, 206):
                    response.read()
                    _answer(response)
                mode = "ab" if response.status_code == 206 else "wb"
                with open(partial, mode) as out:
                    for piece in response.iter_bytes():
                        out.write(piece)
            result = blobs.finish(sha256)
            if result.status_code == 200:
                self.report.blobs_received += 1

    # -- divergence -----------------------------------------------------------------

    def check(self) -> None:
        ours = checksums.buckets(self.state.organisation_id)
        response = self.http.post(
            "/sync/v1/checksums", json={"buckets": {str(k): v for k, v in ours.items()}}
        )
        differing = _answer(response)["differing"]
        for bucket in differing:
            rows = _answer(self.http.get(f"/sync/v1/buckets/{bucket}"))["rows"]
            with transaction.atomic():
                apply_rows(rows, repair=True)
        self.report.repaired_buckets = list(differing)


def apply_pull_answer(answer: dict[str, Any]) -> int:
    """One decoded pull answer: every change checked, then applied with the cursor in one
    transaction. Returns how many changes it carried."""
    with collector_paused():
        changes = parse_changes(answer["changes"])
        crash_point("pull.received")
        with replayable_commits():  # a batch lost to a power cut is pulled again
            actions.apply_pulled(changes=changes, next_after=int(answer["next_after"]))
    return len(changes)


def _ndjson(raw: Iterator[bytes]) -> Iterator[dict[str, Any]]:
    decompressor = zlib.decompressobj(31)
    buffer = b""
    for piece in raw:
        buffer += decompressor.decompress(piece)
        *complete, buffer = buffer.split(b"\n")
        for line in complete:
            if line:
                yield fastjson.loads(line)
    buffer += decompressor.flush()
    for line in buffer.split(b"\n"):
        if line:
            yield fastjson.loads(line)


@transaction.atomic
def _reset_pushed(high_water: int) -> None:
    SyncState.objects.filter(pk=SyncState.SINGLETON_ID).update(pushed_through=high_water)


def _sent_marker(sha256: str) -> Any:
    directory = blobs._partial(sha256).parent.parent / "sent"
    directory.mkdir(parents=True, exist_ok=True)
    return directory / sha256


def _mark_sent(sha256: str) -> None:
    _sent_marker(sha256).touch()


def _local_blobs_hub_may_lack() -> list[str]:
    shas = set(Document.objects.exclude(sha256="").values_list("sha256", flat=True))
    return sorted(s for s in shas if blobs.have(s) and not _sent_marker(s).exists())


def sync_once(*, transport: httpx.BaseTransport | None = None, check: bool = False) -> SyncReport:
    """One full round: push, pull (snapshot first on a new node), files, optional check."""
    state = SyncState.objects.filter(pk=SyncState.SINGLETON_ID).first()
    if state is None:
        raise NotEnrolled("this node is not enrolled with a hub (nidaan node enrol)")
    session = Session(state, transport)
    try:
        session.push()
        session.push_audit()
        session.pull()
        session.send_blobs()
        session.fetch_blobs()
        if check:
            session.check()
    except (httpx.TimeoutException, httpx.TransportError) as error:
        session.shrink()
        actions.note_attempt(error=f"hub unreachable: {error}", batch_size=session.batch)
        raise SyncError(f"hub unreachable: {error}") from None
    except SyncError as error:
        if isinstance(error, HubRefused) and error.status >= 500:
            session.shrink()  # a hub struggling with big batches gets smaller ones
        actions.note_attempt(error=str(error), batch_size=session.batch)
        raise
    finally:
        session.close()
    actions.note_attempt(success=True, batch_size=session.batch, error=session.report.audit_refused)
    return session.report


def backoff_delay(failures: int, base: float = 1.0, ceiling: float = 300.0) -> float:
    """Exponential backoff with full jitter: spread retries of many clinics."""
    return random.uniform(base, min(ceiling, base * 2**failures))  # noqa: S311 - not security
