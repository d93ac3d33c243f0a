"""The hub's sync endpoints (`/sync/v1/...`), reached by nodes with their credential.

Thin: each reads the request, calls an action or a query, and answers JSON. Every
refusal says what is wrong; nothing refused is half-stored.
"""

from __future__ import annotations

import functools
import gzip
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
    StreamingHttpResponse,
)
from django.views.decorators.csrf import csrf_exempt

from nidaan.accounts.decorators import public
from nidaan.audit import actions as audit_actions
from nidaan.audit.wire import BadEvent, parse_events
from nidaan.core import fastjson
from nidaan.core.hlc import wall_clock_ms
from nidaan.core.models import ChangeLogEntry
from nidaan.sync import actions, blobs, checksums, snapshot
from nidaan.sync.models import EnrolledNode
from nidaan.sync.wire import BadChange, change_to_wire, parse_changes

MAX_BATCH = 1000
# A push of 1,000 changes is far below this; anything bigger is refused unread.
MAX_BODY_BYTES = 32 * 1024 * 1024

View = Callable[..., HttpResponse | StreamingHttpResponse]


def _error(status: int, message: str, **extra: Any) -> JsonResponse:
    return JsonResponse({"error": message, **extra}, status=status)


def _hub_only(view: View) -> View:
    @functools.wraps(view)
    def wrapped(
        request: HttpRequest, *args: Any, **kwargs: Any
    ) -> HttpResponse | StreamingHttpResponse:
        if settings.NIDAAN_ROLE != "hub":
            raise Http404("sync endpoints are served by the hub")
        return view(request, *args, **kwargs)

    return wrapped


def node_credential(view: View) -> View:
    """Authenticate the calling node by its bearer credential (not a user session)."""

    @csrf_exempt
    @_hub_only
    @functools.wraps(view)
    def guarded(
        request: HttpRequest, *args: Any, **kwargs: Any
    ) -> HttpResponse | StreamingHttpResponse:
        header = request.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            return _error(401, "send the node credential as 'Authorization: Bearer ...'")
        enrolled = actions.authenticate_node(header.removeprefix("Bearer ").strip())
        if enrolled is None:
            return _error(401, "unknown node credential: enrol this node again")
        if enrolled.revoked_at is not None:
            return _error(
                403, f"this node was revoked on {enrolled.revoked_at:%d %b %Y}; ask the hub admin"
            )
        return view(request, enrolled, *args, **kwargs)

    guarded.node_credential = True  # type: ignore[attr-defined]
    return guarded


def _json_body(request: HttpRequest) -> Any:
    body = request.body
    if len(body) > MAX_BODY_BYTES:
        raise BadChange("request body too large")
    if request.headers.get("Content-Encoding") == "gzip":
        try:
            body = gzip.decompress(body)
        except (OSError, EOFError):
            raise BadChange("body is not valid gzip (truncated?)") from None
        if len(body) > MAX_BODY_BYTES:
            raise BadChange("request body too large")
    try:
        return fastjson.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise BadChange("body is not valid JSON (truncated?)") from None


def _json(request: HttpRequest, payload: dict[str, Any], status: int = 200) -> HttpResponse:
    data = fastjson.dumps_bytes(payload)
    if "gzip" in request.headers.get("Accept-Encoding", "") and len(data) > 1024:
        response = HttpResponse(gzip.compress(data, 5), content_type="application/json")
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(data, content_type="application/json")
    response.status_code = status
    return response


@public  # the one-time code is the credential
@csrf_exempt
def enrol_view(request: HttpRequest) -> HttpResponse:
    if settings.NIDAAN_ROLE != "hub":
        raise Http404("sync endpoints are served by the hub")
    if request.method != "POST":
        return _error(405, "POST the enrolment code")
    try:
        body = _json_body(request)
        node_id = uuid.UUID(str(body["node_id"]))
        code = str(body["code"])
        prefix = str(body["uhid_prefix"])
        name = str(body.get("name", ""))
    except (BadChange, KeyError, ValueError, TypeError) as error:
        return _error(400, f"send code, node_id and uhid_prefix as JSON ({error})")
    try:
        enrolment = actions.enrol_node(code=code, node_id=node_id, uhid_prefix=prefix, name=name)
    except actions.EnrolmentRefused as refusal:
        return _error(400, str(refusal))
    enrolled = enrolment.node
    return JsonResponse(
        {
            "credential": enrolment.credential,
            "organisation_id": str(enrolled.organisation_id),
            "facility_id": str(enrolled.facility_id),
            "series": enrolled.series,
            "hub_time": wall_clock_ms(),
        }
    )


@node_credential
def push_view(request: HttpRequest, enrolled: EnrolledNode) -> HttpResponse:
    if request.method != "POST":
        return _error(405, "POST a batch of changes")
    try:
        body = _json_body(request)
        if not isinstance(body, dict):
            raise BadChange("expected an object with node_id, from_seq and changes")
        if str(body.get("node_id")) != str(enrolled.node_id):
            raise BadChange("node_id does not match this node's credential")
        from_seq = body.get("from_seq")
        if not isinstance(from_seq, int) or from_seq < 1:
            raise BadChange("from_seq must be a positive integer")
        changes = parse_changes(body.get("changes"))
        if len(changes) > MAX_BATCH:
            raise BadChange(f"at most {MAX_BATCH} changes per push")
        outcome = actions.receive_push(enrolled=enrolled, from_seq=from_seq, changes=changes)
    except actions.PushGap as gap:
        return _json(
            request,
            {"error": str(gap), "high_water": gap.high_water, "hub_time": wall_clock_ms()},
            409,
        )
    except (BadChange, ValueError) as error:
        return _error(400, str(error))
    return _json(
        request,
        {
            "acked_through_seq": outcome.acked_through,
            "quarantined": [
                {"node_seq": entry.node_seq, "reason": reason}
                for entry, reason in outcome.result.quarantined
            ],
            "hub_time": wall_clock_ms(),
        },
    )


@node_credential
def pull_view(request: HttpRequest, enrolled: EnrolledNode) -> HttpResponse:
    try:
        after = int(request.GET.get("after", "0"))
        limit = min(max(int(request.GET.get("limit", "200")), 1), MAX_BATCH)
    except ValueError:
        return _error(400, "after and limit must be integers")
    rows = list(
        ChangeLogEntry.objects.filter(
            org_id=enrolled.organisation_id, server_seq__gt=after
        ).order_by("server_seq")[: limit + 1]
    )
    has_more = len(rows) > limit
    rows = rows[:limit]
    next_after = rows[-1].server_seq if rows else after
    actions.note_pull(enrolled=enrolled, after=after)
    return _json(
        request,
        {
            "changes": [change_to_wire(row) for row in rows],
            "next_after": next_after,
            "has_more": has_more,
            "hub_time": wall_clock_ms(),
        },
    )


@node_credential
def snapshot_view(request: HttpRequest, enrolled: EnrolledNode) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        snapshot.stream(enrolled.organisation_id), content_type="application/x-ndjson"
    )
    response["Content-Encoding"] = "gzip"
    return response


@node_credential
def blob_view(request: HttpRequest, enrolled: EnrolledNode, sha256: str) -> HttpResponse:
    if not blobs.is_sha256(sha256):
        return _error(400, "blob names are lower-case hex SHA-256")
    if not blobs.referenced_by(enrolled.organisation_id, sha256):
        # Files move only for documents of the node's own clinic, after their rows.
        return _error(404, "no document of this clinic has that content")
    if request.method == "GET":
        return blobs.serve(request, sha256)
    if request.method == "HEAD":
        return blobs.receipt_status(sha256)
    if request.method == "PUT":
        try:
            offset = int(request.GET.get("offset", "0"))
        except ValueError:
            return _error(400, "offset must be an integer")
        return blobs.receive(sha256, offset, request.body)
    return _error(405, "GET, HEAD or PUT")


@node_credential
def checksums_view(request: HttpRequest, enrolled: EnrolledNode) -> HttpResponse:
    if request.method != "POST":
        return _error(405, "POST the node's bucket checksums")
    try:
        body = _json_body(request)
        theirs = body["buckets"]
        if not isinstance(theirs, dict):
            raise BadChange("buckets must be an object")
    except (BadChange, KeyError, TypeError) as error:
        return _error(400, f"send {{'buckets': {{bucket: checksum}}}} ({error})")
    ours = checksums.buckets(enrolled.organisation_id)
    differing = sorted(
        int(b)
        for b in set(ours) | {int(k) for k in theirs if str(k).isdigit()}
        if ours.get(int(b)) != theirs.get(str(b))
    )
    return _json(request, {"differing": differing, "hub_time": wall_clock_ms()})


@node_credential
def bucket_view(request: HttpRequest, enrolled: EnrolledNode, bucket: int) -> HttpResponse:
    return _json(request, {"rows": checksums.bucket_rows(enrolled.organisation_id, bucket)})


@node_credential
def audit_view(request: HttpRequest, enrolled: EnrolledNode) -> HttpResponse:
    """A clinic PC's audit chain: GET where the hub's copy ends, POST the events after it."""
    if request.method == "GET":
        through, last_hash = audit_actions.received_position(enrolled.node_id)
        return _json(request, {"received_through": through, "hash": last_hash})
    if request.method != "POST":
        return _error(405, "GET the position or POST audit events")
    name = enrolled.name or enrolled.series
    try:
        body = _json_body(request)
        if not isinstance(body, dict):
            raise BadEvent("expected an object with node_id, from_seq and events")
        if str(body.get("node_id")) != str(enrolled.node_id):
            raise BadEvent("node_id does not match this node's credential")
        from_seq = body.get("from_seq")
        if not isinstance(from_seq, int) or from_seq < 1:
            raise BadEvent("from_seq must be a positive integer")
        events = parse_events(body.get("events"))
        if len(events) > MAX_BATCH:
            raise BadEvent(f"at most {MAX_BATCH} audit events per request")
        received = audit_actions.receive_node_events(
            node_id=enrolled.node_id,
            organisation_id=enrolled.organisation_id,
            name=name,
            from_seq=from_seq,
            events=events,
        )
    except audit_actions.ChainGap as gap:
        return _json(request, {"error": str(gap), "received_through": gap.received_through}, 409)
    except audit_actions.ChainRefused as refusal:
        audit_actions.note_refused_chain(
            node_id=enrolled.node_id,
            organisation_id=enrolled.organisation_id,
            name=name,
            reason=str(refusal),
        )
        return _error(400, f"audit chain refused: {refusal}")
    except (BadChange, BadEvent) as error:
        return _error(400, str(error))
    return _json(
        request, {"received_through": received.received_through, "stored": received.stored}
    )
