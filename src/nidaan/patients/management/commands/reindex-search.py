"""`nidaan reindex-search`: rebuild this replica's patient search index from the registry.

Needed after the matching rules in patients/names.py change. The registry itself is not
touched (the index and the search key are local, derived data), so nothing is synced.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from nidaan.patients import names
from nidaan.patients.models import Patient, SearchTerm, SearchTermVariant, SearchVocabulary
from nidaan.patients.search_index import index_new_patients


class Command(BaseCommand):
    help = "Rebuild the patient search index (after the name-matching rules change)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", type=int, default=5000, help="patients per transaction")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        total = Patient.objects.count()
        with transaction.atomic():
            SearchTerm.objects.all().delete()
            SearchVocabulary.objects.all().delete()
            SearchTermVariant.objects.all().delete()
        done = 0
        last_id = None
        while True:
            page = Patient.objects.order_by("pk")
            if last_id is not None:
                page = page.filter(pk__gt=last_id)
            batch = list(page[: options["batch"]])
            if not batch:
                break
            with transaction.atomic():
                for patient in batch:
                    key = names.search_key(patient.name)
                    if key != patient.name_key:
                        patient.name_key = key
                        # A local, derived column: saved without a change-log entry.
                        Patient.save(patient, update_fields=["name_key"])
                index_new_patients(batch)
            done += len(batch)
            last_id = batch[-1].pk
            self.stdout.write(f"indexed {done}/{total} patients")
        self.stdout.write(
            self.style.SUCCESS(f"Search index rebuilt in {time.monotonic() - started:.1f} s.")
        )
