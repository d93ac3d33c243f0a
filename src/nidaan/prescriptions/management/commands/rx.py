"""`nidaan rx verify FILE.pdf`: is this printout genuine, current and unaltered?"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from nidaan.prescriptions.verification import check_file, report_lines


class Command(BaseCommand):
    help = "Prescriptions. `verify FILE.pdf` checks a printout against the records."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        verify = sub.add_parser("verify", help="check a prescription PDF")
        verify.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            pdf = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror}") from exc
        check = check_file(pdf)
        for line in report_lines(check):
            self.stdout.write(line)
        if not check.ok:
            raise SystemExit(1)
