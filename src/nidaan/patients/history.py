"""A patient's demographic history, read from the change log."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.text import capfirst

from nidaan.accounts.models import User
from nidaan.core.models import ChangeLogEntry
from nidaan.patients.models import Patient

# Derived or internal fields: shown through the fields they come from.
_HIDDEN = {
    "name_key",
    "name_latin",
    "organisation_id",
    "registered_at_id",
    "uhid",
    "created_at",
    "date_of_birth_estimated",
}


@dataclass(frozen=True)
class FieldChange:
    label: str
    value: Any


@dataclass(frozen=True)
class HistoryEntry:
    entry: ChangeLogEntry
    actor: str
    changes: list[FieldChange]


def _label(field: Any) -> str:
    return capfirst(str(field.verbose_name))


def _display(field: Any, value: Any) -> Any:
    """A stored value as the page shows it: choice codes ("F", "09") become their labels."""
    choices = dict(field.flatchoices) if field.choices else {}
    return choices.get(value, value)


def patient_history(patient: Patient) -> list[HistoryEntry]:
    entries = list(
        ChangeLogEntry.objects.filter(entity=Patient.entity_name(), entity_id=patient.pk).order_by(
            "-hlc"
        )
    )
    actor_ids = {e.actor_id for e in entries if e.actor_id}
    actors = {u.pk: str(u) for u in User.objects.filter(pk__in=actor_ids)}
    fields = {f.attname: f for f in Patient._meta.concrete_fields}
    return [
        HistoryEntry(
            entry=entry,
            actor=actors.get(entry.actor_id, "—"),
            changes=[
                FieldChange(_label(fields[name]), _display(fields[name], value))
                for name, value in entry.fields.items()
                if name not in _HIDDEN and name in fields
            ],
        )
        for entry in entries
    ]
