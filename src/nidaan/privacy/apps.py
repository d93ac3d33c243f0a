from __future__ import annotations

from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "nidaan.privacy"
    label = "privacy"

    def ready(self) -> None:
        from nidaan.privacy import emergency, erasure

        emergency.install()
        erasure.install()
