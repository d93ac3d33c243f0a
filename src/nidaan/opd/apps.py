from __future__ import annotations

from django.apps import AppConfig


class OpdConfig(AppConfig):
    name = "nidaan.opd"
    label = "opd"
