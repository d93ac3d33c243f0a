"""Run in a child process by test_crash_keeps_series_gapless.py (not a test itself).

`setup` makes a registered clinic with a catalogue and issues two bills; `crash` starts
a third and kills its own process with SIGKILL after the number is allocated and the
rows are written, before the commit; `issue` issues one more bill; `many N` issues N.
Each prints the serials in the invoice series afterwards.
"""

from __future__ import annotations

import os
import signal
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nidaan.settings.node")
django.setup()

from nidaan.billing import actions  # noqa: E402
from nidaan.billing.actions import LineRequest  # noqa: E402
from nidaan.billing.models import Bill  # noqa: E402
from nidaan.clinics.models import Facility  # noqa: E402
from nidaan.core.permissions import Role  # noqa: E402


def _issue() -> Bill:
    facility = Facility.objects.get()
    from nidaan.accounts.models import User
    from nidaan.billing.models import CatalogueEntry

    reception = User.objects.get(role=Role.RECEPTIONIST)
    entry = CatalogueEntry.objects.filter(code="3004").order_by("name").first()
    assert entry is not None
    return actions.issue_bill(
        acting_user=reception, facility=facility, patient=None, lines=[LineRequest(entry)]
    )


def main(step: str) -> None:
    if step == "setup":
        from tests.billing.catalogue import make_catalogue, register_clinic
        from tests.factories import make_world

        world = make_world()
        register_clinic(world)
        make_catalogue(world)
        _issue()
        _issue()
    elif step == "crash":
        real = actions.record  # type: ignore[attr-defined]

        def die(*args: object, **kwargs: object) -> object:
            os.kill(os.getpid(), signal.SIGKILL)
            return real(*args, **kwargs)  # type: ignore[arg-type]

        actions.record = die  # type: ignore[attr-defined,assignment]
        _issue()
    elif step == "issue":
        _issue()
    elif step == "many":
        for _ in range(int(sys.argv[2])):
            _issue()
    print(sorted(Bill.objects.values_list("serial", flat=True)))  # noqa: T201


if __name__ == "__main__":
    main(sys.argv[1])
