"""`nidaan demo [--password P]`: a demo clinic in Lucknow to log into (idempotent)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from nidaan.clinics.demo import ensure_demo_clinic


class Command(BaseCommand):
    help = "Set up a demo clinic with users admin, doctor and reception (safe to run again)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--password", help="set all three demo users' password to this")

    def handle(self, *args: Any, **options: Any) -> None:
        logins = ensure_demo_clinic(options["password"])
        # The demo's logins are kept beside its database (never in the repository) so
        # that running `make run` again can show them again.
        saved = settings.DATA_DIR / "demo-logins.txt"
        passwords = logins.passwords
        if passwords:
            saved.touch(mode=0o600)
            saved.write_text("".join(f"{user} {pw}\n" for user, pw in passwords.items()))
        elif saved.exists():
            passwords = dict(line.split(" ", 1) for line in saved.read_text().splitlines())
        if logins.created:
            self.stdout.write(
                self.style.SUCCESS("Demo clinic created: Nidaan Demo Clinic, Lucknow.")
            )
        else:
            self.stdout.write("Demo clinic already set up.")
        if passwords:
            self.stdout.write("Log in with:")
            for username, password in passwords.items():
                self.stdout.write(f"  {username:<10} {password}")
        else:
            self.stdout.write(
                "Passwords are unchanged (they were printed when it was created). "
                "To set new ones: nidaan demo --password NEW-PASSWORD"
            )
