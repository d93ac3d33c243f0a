from __future__ import annotations

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "nidaan.core"
    label = "core"
    verbose_name = "Nidaan core"

    def ready(self) -> None:
        from nidaan.core import synced

        synced.build_registry()
