from __future__ import annotations

from django.apps import AppConfig


class KeysConfig(AppConfig):
    name = "nidaan.keys"
    label = "keys"
