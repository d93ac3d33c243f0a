from __future__ import annotations

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nidaan.settings.node")
application = get_wsgi_application()


def _freeze_startup_objects() -> None:
    """Load the URLconf (and with it every view module) now, then freeze the heap.

    The ~150,000 long-lived objects of Django, our modules and the bundled ICD-10 data
    would otherwise be walked by every full garbage collection, 60–70 ms landing on
    whichever request triggers it (docs/benchmarks-opd.md): frozen, they are skipped.
    """
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imported for its side effect
    gc.collect()
    gc.freeze()


_freeze_startup_objects()
