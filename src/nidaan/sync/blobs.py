"""Moving document files between node and hub by SHA-256, resumably.

Rows travel in the change log; the files they name travel here. An upload is appended
to a partial file at the offset the sender says, so a dropped link resumes where it
stopped; the file joins the blob store only when its SHA-256 matches its name.
"""

from __future__ import annotations

import hashlib
import os
import re
import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.http import HttpRequest, HttpResponse, JsonResponse

from nidaan.documents import storage
from nidaan.documents.models import Document

CHUNK = 1024 * 1024
_SHA256 = re.compile(r"[0-9a-f]{64}")


def is_sha256(value: str) -> bool:
    return bool(_SHA256.fullmatch(value))


def referenced_by(org_id: uuid.UUID, sha256: str) -> bool:
    return Document.objects.filter(organisation_id=org_id, sha256=sha256).exists()


def _partial(sha256: str) -> Path:
    directory = Path(settings.DATA_DIR) / "blobs" / "incoming"
    directory.mkdir(parents=True, exist_ok=True)
    return directory / sha256


def have(sha256: str) -> bool:
    return storage.state_of(sha256) == storage.BlobState.INTACT


def receipt_status(sha256: str) -> HttpResponse:
    """How much of a blob is here: complete, or the bytes received so far."""
    response = HttpResponse(status=200 if have(sha256) else 404)
    partial = _partial(sha256)
    response["X-Received-Bytes"] = str(partial.stat().st_size if partial.exists() else 0)
    return response


def receive(sha256: str, offset: int, body: bytes) -> HttpResponse:
    if have(sha256):
        return JsonResponse({"complete": True})
    partial = _partial(sha256)
    size = partial.stat().st_size if partial.exists() else 0
    if offset != size:
        return JsonResponse(
            {"error": f"resume from byte {size}", "received_bytes": size}, status=409
        )
    with open(partial, "ab") as out:
        out.write(body)
        out.flush()
        os.fsync(out.fileno())
    if len(body) < CHUNK:
        return finish(sha256)
    return JsonResponse({"complete": False, "received_bytes": size + len(body)})


def finish(sha256: str) -> HttpResponse:
    """Last piece arrived: keep the file only if it is exactly what its name says."""
    partial = _partial(sha256)
    content = partial.read_bytes()
    actual = hashlib.sha256(content).hexdigest()
    if actual != sha256:
        partial.unlink()
        return JsonResponse(
            {"error": f"content has SHA-256 {actual}, not {sha256}: send it again"}, status=422
        )
    storage.store(ContentFile(content))
    partial.unlink()
    return JsonResponse({"complete": True})


def serve(request: HttpRequest, sha256: str) -> HttpResponse:
    """The blob, or the part of it after `Range: bytes=N-` for a resumed download."""
    try:
        content = storage.read(sha256)
    except (storage.BlobMissing, storage.BlobCorrupted) as error:
        return JsonResponse({"error": str(error)}, status=404)
    start = 0
    match = re.fullmatch(r"bytes=(\d+)-", request.headers.get("Range", ""))
    if match:
        start = min(int(match.group(1)), len(content))
    response = HttpResponse(content[start:], content_type="application/octet-stream")
    if match:
        response.status_code = 206
        response["Content-Range"] = f"bytes {start}-{len(content) - 1}/{len(content)}"
    return response
