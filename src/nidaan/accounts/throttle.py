"""Login throttling: too many failures for a username or from an address lock it a while."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone

from nidaan.accounts.models import LoginFailure


def _window_start() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(seconds=settings.NIDAAN_LOGIN_WINDOW_SECONDS)


def is_locked(username: str, address: str | None) -> bool:
    recent = LoginFailure.objects.filter(at__gte=_window_start())
    by_user = recent.filter(username__iexact=username).count()
    by_address = recent.filter(address=address).count() if address else 0
    limit = settings.NIDAAN_LOGIN_MAX_FAILURES
    # An address is allowed more failures than a username: a clinic's staff share one
    # NATed address, and one person's typos must not lock everyone out.
    return by_user >= limit or by_address >= limit * 4


def clear(username: str) -> None:
    """A successful login forgives that username's earlier failures."""
    LoginFailure.objects.filter(username__iexact=username).delete()
