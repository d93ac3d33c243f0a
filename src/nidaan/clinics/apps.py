from __future__ import annotations

from django.apps import AppConfig


class ClinicsConfig(AppConfig):
    name = "nidaan.clinics"
    label = "clinics"
