"""Failed logins lock a username for longer each time; attempts while locked don't count."""

from __future__ import annotations

import datetime

from django.test import Client
from django.utils import timezone

from nidaan.accounts import throttle
from nidaan.accounts.models import LoginFailure
from nidaan.audit.models import AuditAction, AuditEvent
from nidaan.core.permissions import Role
from tests.factories import PASSWORD, ClinicWorld

LOGIN = "/accounts/login/"


def _fail(client: Client, username: str, times: int) -> None:
    for _ in range(times):
        client.post(LOGIN, {"username": username, "password": "guess"})


def _age_failures(username: str, seconds: int) -> None:
    for failure in LoginFailure.objects.filter(username=username):
        failure.at -= datetime.timedelta(seconds=seconds)
        failure.save(update_fields=["at"])


def test_lock_doubles_after_each_further_failure(world: ClinicWorld) -> None:
    username = world.user(Role.NURSE).username
    client = Client()
    _fail(client, username, 5)
    first = throttle.seconds_locked(username, None)
    assert 290 <= first <= 300
    response = client.post(LOGIN, {"username": username, "password": PASSWORD})
    assert response.status_code == 429
    assert "Try again in 5 minutes" in response.content.decode()
    # Typing while locked does not lengthen the lock (nor lock a colleague out for good).
    _fail(client, username, 10)
    assert LoginFailure.objects.filter(username=username).count() == 5
    assert throttle.seconds_locked(username, None) <= first

    _age_failures(username, 301)  # the first lock has passed
    assert throttle.seconds_locked(username, None) == 0
    _fail(client, username, 1)  # one more wrong guess: locked twice as long
    assert 590 <= throttle.seconds_locked(username, None) <= 600
    _age_failures(username, 601)
    _fail(client, username, 1)
    assert 1190 <= throttle.seconds_locked(username, None) <= 1200


def test_lock_never_exceeds_an_hour(world: ClinicWorld) -> None:
    username = world.user(Role.NURSE).username
    now = timezone.now()
    LoginFailure.objects.bulk_create([LoginFailure(username=username) for _ in range(20)])
    LoginFailure.objects.filter(username=username).update(at=now)
    assert 3590 <= throttle.seconds_locked(username, None) <= 3600


def test_attempts_while_locked_are_audited(world: ClinicWorld) -> None:
    username = world.user(Role.NURSE).username
    client = Client()
    _fail(client, username, 6)
    reasons = list(
        AuditEvent.objects.filter(
            action=AuditAction.LOGIN_FAILED, actor_username=username
        ).values_list("detail__reason", flat=True)
    )
    assert reasons.count("password") == 5
    assert reasons.count("locked") == 1
