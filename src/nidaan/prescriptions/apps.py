from __future__ import annotations

from django.apps import AppConfig


class PrescriptionsConfig(AppConfig):
    name = "nidaan.prescriptions"
    label = "prescriptions"
    default_auto_field = "django.db.models.BigAutoField"
