"""Writes to staff accounts. Each is atomic and leaves a change entry and an audit row."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from nidaan.accounts import throttle, tokens, two_factor
from nidaan.accounts.models import ApiToken, LoginFailure, StaffSession, TwoFactorDevice, User
from nidaan.audit.models import AuditAction
from nidaan.audit.record import CLI, Origin, record
from nidaan.clinics.models import Facility
from nidaan.core import changelog


@transaction.atomic
def create_staff_user(
    *,
    acting_user: User | None,
    facility: Facility,
    username: str,
    password: str,
    role: str,
    full_name: str,
    full_name_hi: str = "",
    language: str = "en",
    qualification: str = "",
    registration_number: str = "",
    council: str = "",
    origin: Origin = CLI,
) -> User:
    """Add a member of staff to the facility's organisation.

    `acting_user` is None only during first-run setup, when the first admin is made.
    """
    user = User(
        username=username,
        organisation_id=facility.organisation_id,
        facility=facility,
        role=role,
        full_name=full_name,
        full_name_hi=full_name_hi,
        language=language,
        qualification=qualification,
        registration_number=registration_number,
        council=council,
    )
    validate_password(password, user)
    user.set_password(password)
    changelog.insert(user, acting_user=acting_user)
    record(
        AuditAction.CREATE,
        actor=acting_user,
        target=user,
        origin=origin,
        detail={"username": username, "role": role},
    )
    return user


@transaction.atomic
def change_password(
    user: User, password: str, *, acting_user: User | None, origin: Origin = CLI
) -> None:
    validate_password(password, user)
    user.set_password(password)
    changelog.update(user, ["password"], acting_user=acting_user)
    record(
        AuditAction.UPDATE,
        actor=acting_user,
        target=user,
        origin=origin,
        detail={"fields": ["password"]},
    )


@transaction.atomic
def update_staff_user(
    user: User, changes: dict[str, Any], *, acting_user: User, origin: Origin = CLI
) -> list[str]:
    changed = changelog.changed_fields(user, changes)
    if changed:
        changelog.update(user, changed, acting_user=acting_user)
        record(
            AuditAction.UPDATE,
            actor=acting_user,
            target=user,
            origin=origin,
            detail={"fields": changed},
        )
    return changed


def set_language(user: User, language: str, *, origin: Origin = CLI) -> None:
    update_staff_user(user, {"language": language}, acting_user=user, origin=origin)


@transaction.atomic
def create_api_token(user: User, *, label: str = "", origin: Origin = CLI) -> str:
    """Make a token for `user` and return it; only its digest is kept."""
    token = tokens.new_token()
    ApiToken.objects.create(user=user, digest=tokens.digest(token), label=label)
    record(
        AuditAction.TOKEN_CREATE, actor=user, target=user, origin=origin, detail={"label": label}
    )
    return token


@transaction.atomic
def note_login(user: User, *, origin: Origin, two_factor: bool = False) -> None:
    throttle.clear(user.get_username())
    record(
        AuditAction.LOGIN,
        actor=user,
        origin=origin,
        detail={"two_factor": True} if two_factor else None,
    )


@transaction.atomic
def note_failed_login(username: str, *, origin: Origin, reason: str = "password") -> None:
    """A wrong password or code counts towards the lock; an attempt while locked does not
    (it is audited all the same)."""
    if reason != "locked":
        LoginFailure.objects.create(username=username[:150], address=origin.address)
    record(
        AuditAction.LOGIN_FAILED,
        actor=None,
        username=username[:150],
        origin=origin,
        detail={"reason": reason},
    )


@transaction.atomic
def enable_two_factor(user: User, code: str, *, origin: Origin) -> bool:
    """Confirm the authenticator being set up with a code from it; False if wrong."""
    device = two_factor.pending_device(user)
    if device.confirmed_at is not None or not two_factor.accept(device, code):
        return False
    device.confirmed_at = timezone.now()
    device.save(update_fields=["confirmed_at"])
    record(
        AuditAction.UPDATE,
        actor=user,
        target=user,
        origin=origin,
        detail={"two_factor": "enabled"},
    )
    return True


@transaction.atomic
def disable_two_factor(user: User, *, acting_user: User, origin: Origin) -> None:
    TwoFactorDevice.objects.filter(user=user).delete()
    record(
        AuditAction.UPDATE,
        actor=acting_user,
        target=user,
        origin=origin,
        detail={"two_factor": "disabled"},
    )


@transaction.atomic
def end_sessions(user: User, *, keep: str | None, acting_user: User, origin: Origin) -> int:
    """Log `user` out of every browser but the session `keep` (None: all of them)."""
    sessions = StaffSession.objects.filter(user=user)
    if keep:
        sessions = sessions.exclude(session_key=keep)
    session_keys = list(sessions.values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=session_keys).delete()
    sessions.delete()
    record(
        AuditAction.SESSION_END,
        actor=acting_user,
        target=user,
        origin=origin,
        detail={"sessions": len(session_keys)},
    )
    return len(session_keys)


@transaction.atomic
def unlock_login(user: User, *, acting_user: User, origin: Origin) -> None:
    """The admin forgives a member of staff's failed logins (after checking it was them)."""
    throttle.clear(user.get_username())
    record(
        AuditAction.UPDATE,
        actor=acting_user,
        target=user,
        origin=origin,
        detail={"login": "unlocked"},
    )
