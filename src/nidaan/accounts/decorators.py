"""View decorators that tie every page to a row of the permission table."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from nidaan.accounts.models import User
from nidaan.audit.models import AuditAction
from nidaan.audit.record import Origin, record
from nidaan.core.permissions import Perm, user_has

View = TypeVar("View", bound=Callable[..., HttpResponse])
# Checks beyond the role, run for every permitted request of a `requires()` page; one
# may answer instead of the view (privacy/emergency.py: a patient of another branch).
ScopeCheck = Callable[[HttpRequest, Perm, dict[str, Any]], HttpResponse | None]
SCOPE_CHECKS: list[ScopeCheck] = []


def requires(perm: Perm) -> Callable[[View], View]:
    """Log in first, then hold `perm`; the permission is recorded on the view for tests."""

    def decorate(view: View) -> View:
        @wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not user_has(request.user, perm):
                note_refusal(request, perm, kwargs)
                raise PermissionDenied(perm.value)
            for check in SCOPE_CHECKS:
                if (answer := check(request, perm, kwargs)) is not None:
                    return answer
            return view(request, *args, **kwargs)

        guarded.required_permission = perm  # type: ignore[attr-defined]
        return guarded  # type: ignore[return-value]

    return decorate


def note_refusal(request: HttpRequest, perm: Perm, kwargs: dict[str, Any]) -> None:
    """A refused attempt is audited: a receptionist opening a clinical note by URL is
    visible to the admin, with the page asked for (DPDP Rules, r. 6: logging)."""
    record(
        AuditAction.DENIED,
        actor=request.user,
        patient_id=kwargs.get("patient_id"),
        origin=Origin.of(request),
        detail={
            "permission": perm.value,
            "path": request.path[:500],
            "method": request.method,
            **{name: str(value) for name, value in kwargs.items()},
        },
    )


def public(view: View) -> View:
    """Reachable without logging in (the login and first-run pages only)."""
    view.public = True  # type: ignore[attr-defined]
    return view


def login_only(view: View) -> View:
    """Any logged-in member of staff: for their own preferences, nothing clinical."""

    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    guarded.login_only = True  # type: ignore[attr-defined]
    return guarded  # type: ignore[return-value]


def staff_user(request: HttpRequest) -> User:
    """The logged-in member of staff of a view that `requires()` a permission."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied("staff only")
    return user
