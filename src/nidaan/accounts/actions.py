"""Writes to staff accounts. Each is atomic and leaves a change entry and an audit row."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from nidaan.accounts import throttle, tokens
from nidaan.accounts.models import ApiToken, LoginFailure, User
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
    validate_password(password)
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
def note_login(user: User, *, origin: Origin) -> None:
    throttle.clear(user.get_username())
    record(AuditAction.LOGIN, actor=user, origin=origin)


@transaction.atomic
def note_failed_login(username: str, *, origin: Origin) -> None:
    LoginFailure.objects.create(username=username[:150], address=origin.address)
    record(AuditAction.LOGIN_FAILED, actor=None, username=username[:150], origin=origin)
