"""Everything held about one patient, as one JSON document (a records request).

Under MCI regulation 1.3.2 a patient's records are handed over within 72 hours of a
request, and under DPDP s.11 a patient may ask for a summary of their data and who it
was shared with. The export walks every model that points at the patient, so a new kind
of record (prescriptions, bills) is included without changing this file.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.apps import apps
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

from nidaan.audit.models import AuditEvent
from nidaan.audit.queries import PATIENT_ACTIONS
from nidaan.core.synced import SyncedModel

FORMAT = "nidaan-records-export-v1"


def _models_about_patients(patient_model: type[models.Model]) -> list[type[models.Model]]:
    found = []
    for model in apps.get_models():
        if not issubclass(model, SyncedModel):
            continue  # derived, node-local rows (search keys) are not the patient's data
        for field in model._meta.get_fields():
            if isinstance(field, models.ForeignKey) and field.related_model is patient_model:
                found.append(model)
                break
    return sorted(found, key=lambda m: m._meta.label_lower)


def _rows(queryset: Any) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = serializers.serialize("python", queryset)
    for row in rows:
        row.pop("model", None)
    return rows


def patient_bundle(patient: SyncedModel) -> dict[str, Any]:
    patient_model = type(patient)
    records: dict[str, list[dict[str, Any]]] = {}
    for model in _models_about_patients(patient_model):
        name = next(
            f.name
            for f in model._meta.get_fields()
            if isinstance(f, models.ForeignKey) and f.related_model is patient_model
        )
        queryset = model._default_manager.filter(**{name: patient}).order_by("pk")
        records[model._meta.label_lower] = _rows(queryset)
    access = AuditEvent.objects.filter(patient_id=patient.pk, action__in=PATIENT_ACTIONS).order_by(
        "at", "seq"
    )
    bundle = {
        "format": FORMAT,
        "exported_at": timezone.now().astimezone(datetime.UTC).isoformat(),
        "patient": _rows(patient_model._default_manager.filter(pk=patient.pk))[0],
        "records": records,
        "access_log": [
            {
                "at": event.at,
                "who": event.actor_username,
                "action": event.action,
                "record": event.entity,
                "record_id": event.entity_id,
                "channel": event.channel,
            }
            for event in access
        ],
    }
    result: dict[str, Any] = json.loads(json.dumps(bundle, cls=DjangoJSONEncoder))
    return result
