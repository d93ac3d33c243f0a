"""The audit event of a printout: one `print` event each time a document is printed
(a PDF made, or a page for the browser's print), saying what was printed.

`detail` is a stable contract beside the event's fields (docs/security.md):
`printed` (the kind: prescription, bill, records-summary), `number` (the document's
number: a prescription's short code, a bill's number), `version` when documents of that
kind have versions, and how it was printed (`format` pdf/browser, `language`, `size`).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model

from nidaan.audit.models import AuditAction, AuditEvent
from nidaan.audit.record import Origin, record


def record_print(
    document: Model,
    *,
    actor: Any,
    patient_id: Any,
    origin: Origin,
    printed: str,
    number: str,
    version: int | None = None,
    **how: str,
) -> AuditEvent:
    detail: dict[str, Any] = {"printed": printed, "number": number}
    if version is not None:
        detail["version"] = version
    detail.update(how)
    return record(
        AuditAction.PRINT,
        actor=actor,
        target=document,
        patient_id=patient_id,
        origin=origin,
        detail=detail,
    )
