from __future__ import annotations

from django.apps import AppConfig


class BackupsConfig(AppConfig):
    name = "nidaan.backups"
    label = "backups"
