from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _make_fonts(**kwargs: Any) -> None:
    # The static font instances take a second or more to make; `nidaan migrate` (run at
    # install and upgrade) makes them, so the first printout of a clinic's day is fast.
    from nidaan.printing import fonts

    fonts.instances()


class PrescriptionsConfig(AppConfig):
    name = "nidaan.prescriptions"
    label = "prescriptions"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        post_migrate.connect(_make_fonts, sender=self, dispatch_uid="nidaan-printing-fonts")
