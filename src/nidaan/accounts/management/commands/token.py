"""`nidaan token create USERNAME`: a bearer token for the JSON API, printed once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from nidaan.accounts.actions import create_api_token
from nidaan.accounts.models import User


class Command(BaseCommand):
    help = "Manage API tokens. `create USERNAME` prints the new token on its last line."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        create = sub.add_parser("create", help="make a token for a user")
        create.add_argument("username")
        create.add_argument("--label", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"no active user named {options['username']!r}")
        token = create_api_token(user, label=options["label"])
        self.stdout.write(token)
