"""Login throttling with backoff: failures for a username lock it for longer each time.

The 5th failure in a row (since the last successful login, within a day) locks the
username for NIDAAN_LOGIN_LOCK_SECONDS (5 minutes), each further failure after a lock
ends doubles it, up to NIDAAN_LOGIN_MAX_LOCK_SECONDS (1 hour): a guessing script gets a
few dozen tries a day instead of thousands, while a member of staff who mistyped is back
in minutes (OWASP ASVS 4.0 §2.2.1). Attempts while locked are refused unchecked and do
not extend the lock, so nobody can keep a colleague locked out forever by typing.

An address is allowed four times as many failures in NIDAAN_LOGIN_WINDOW_SECONDS before
it is locked: a clinic's staff share one NATed address, and one person's typos must not
lock everyone out.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone

from nidaan.accounts.models import LoginFailure

_MEMORY = datetime.timedelta(days=1)


def seconds_locked(username: str, address: str | None) -> int:
    """How long `username` (or `address`) stays locked; 0 when a login may be tried."""
    now = timezone.now()
    limit = settings.NIDAAN_LOGIN_MAX_FAILURES
    remaining = datetime.timedelta(0)
    failures = LoginFailure.objects.filter(username__iexact=username, at__gte=now - _MEMORY)
    count = failures.count()
    if count >= limit:
        last = failures.order_by("-at").values_list("at", flat=True).first()
        assert last is not None  # noqa: S101 - count >= limit > 0
        lock = min(
            settings.NIDAAN_LOGIN_LOCK_SECONDS * 2 ** (count - limit),
            settings.NIDAAN_LOGIN_MAX_LOCK_SECONDS,
        )
        remaining = max(remaining, last + datetime.timedelta(seconds=lock) - now)
    if address:
        window = datetime.timedelta(seconds=settings.NIDAAN_LOGIN_WINDOW_SECONDS)
        recent = LoginFailure.objects.filter(address=address, at__gte=now - window)
        if recent.count() >= limit * 4:
            oldest = recent.order_by("at").values_list("at", flat=True).first()
            assert oldest is not None  # noqa: S101
            remaining = max(remaining, oldest + window - now)
    return max(0, int(remaining.total_seconds() + 0.999))


def is_locked(username: str, address: str | None) -> bool:
    return seconds_locked(username, address) > 0


def clear(username: str) -> None:
    """A successful login forgives that username's earlier failures."""
    LoginFailure.objects.filter(username__iexact=username).delete()
