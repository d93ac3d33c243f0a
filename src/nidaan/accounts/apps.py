from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "nidaan.accounts"
    label = "accounts"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from nidaan.accounts.middleware import note_session

        user_logged_in.connect(note_session, dispatch_uid="nidaan-staff-session")
