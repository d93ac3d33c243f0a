"""Bearer-token authentication and the permission check for API operations."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import HttpBearer

from nidaan.accounts.models import User
from nidaan.accounts.tokens import user_for
from nidaan.audit.models import AuditAction
from nidaan.audit.record import Origin, record
from nidaan.core.permissions import Perm, user_has


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = user_for(token)
        if user is not None:
            request.user = user
        return user


def require(request: HttpRequest, perm: Perm) -> User:
    """The token's user, if their role grants `perm`; otherwise 403."""
    user: Any = request.auth  # type: ignore[attr-defined]
    if not isinstance(user, User) or not user_has(user, perm):
        if isinstance(user, User):
            record(
                AuditAction.DENIED,
                actor=user,
                origin=Origin.of(request, channel="api"),
                detail={"permission": perm.value, "path": request.path[:500]},
            )
        raise HttpError(403, f"your role may not do this ({perm.value})")
    return user
