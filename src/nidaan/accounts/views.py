from __future__ import annotations

import time
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from nidaan.accounts import actions, throttle, two_factor
from nidaan.accounts.decorators import login_only, public, requires, staff_user
from nidaan.accounts.forms import CodeForm, DisableTwoFactorForm, LanguageForm, LoginForm
from nidaan.accounts.models import StaffSession, User
from nidaan.audit.models import AuditAction
from nidaan.audit.record import Origin, record
from nidaan.core.permissions import Perm, Role

_RECOMMENDED = {Role.ADMIN, Role.DOCTOR}


def _safe_next(request: HttpRequest, target: str | None) -> str:
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


# A password accepted for an account with two-factor waits here for its code.
_PENDING = "nidaan_two_factor_pending"
_PENDING_SECONDS = 5 * 60


def _locked_message(seconds: int) -> str:
    minutes = max(1, (seconds + 59) // 60)
    return ngettext(
        "Too many failed attempts. Try again in %(minutes)d minute.",
        "Too many failed attempts. Try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


@public
def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    origin = Origin.of(request)
    status = 200
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        locked = throttle.seconds_locked(username, origin.address)
        if locked:
            actions.note_failed_login(username, origin=origin, reason="locked")
            form.add_error(None, _locked_message(locked))
            status = 429
        else:
            user = authenticate(request, username=username, password=form.cleaned_data["password"])
            if isinstance(user, User):
                target = _safe_next(request, request.GET.get("next"))
                if two_factor.is_enabled(user):
                    request.session.cycle_key()
                    request.session[_PENDING] = {
                        "user": str(user.pk),
                        "at": time.time(),
                        "next": target,
                    }
                    return redirect("accounts:login_code")
                login(request, user)
                actions.note_login(user, origin=origin)
                return redirect(target)
            actions.note_failed_login(username, origin=origin)
            form.add_error(None, _("Wrong username or password."))
            status = 401
    return render(request, "accounts/login.html", {"form": form}, status=status)


@public
def login_code_view(request: HttpRequest) -> HttpResponse:
    """The second step for an account with two-factor: the code from the app."""
    pending = request.session.get(_PENDING)
    if not pending or time.time() - pending["at"] > _PENDING_SECONDS:
        request.session.pop(_PENDING, None)
        return redirect("accounts:login")
    user = User.objects.filter(pk=pending["user"], is_active=True).first()
    device = two_factor.device_of(user) if user is not None else None
    if user is None or device is None:
        return redirect("accounts:login")
    origin = Origin.of(request)
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        locked = throttle.seconds_locked(user.get_username(), origin.address)
        if locked:
            actions.note_failed_login(user.get_username(), origin=origin, reason="locked")
            form.add_error(None, _locked_message(locked))
            status = 429
        elif two_factor.accept(device, form.cleaned_data["code"]):
            del request.session[_PENDING]
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            actions.note_login(user, origin=origin, two_factor=True)
            return redirect(pending["next"])
        else:
            actions.note_failed_login(user.get_username(), origin=origin, reason="code")
            form.add_error(None, _("That code is not right. Codes change every 30 seconds."))
            status = 401
    return render(request, "accounts/login_code.html", {"form": form}, status=status)


@login_only
def two_factor_view(request: HttpRequest) -> HttpResponse:
    """Set up (or switch off) an authenticator app for one's own account."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied("staff only")
    origin = Origin.of(request)
    enabled = two_factor.is_enabled(user)
    code_form = CodeForm(request.POST if request.method == "POST" and not enabled else None)
    disable_form = DisableTwoFactorForm(
        request.POST if request.method == "POST" and enabled else None
    )
    if request.method == "POST" and not enabled and code_form.is_valid():
        if actions.enable_two_factor(user, code_form.cleaned_data["code"], origin=origin):
            messages.success(request, _("Two-step login is on."))
            return redirect("accounts:two_factor")
        code_form.add_error("code", _("That code is not right. Codes change every 30 seconds."))
    if request.method == "POST" and enabled and disable_form.is_valid():
        if user.check_password(disable_form.cleaned_data["password"]):
            actions.disable_two_factor(user, acting_user=user, origin=origin)
            messages.success(request, _("Two-step login is off."))
            return redirect("accounts:two_factor")
        disable_form.add_error("password", _("Wrong password."))
    context: dict[str, Any] = {"enabled": enabled, "recommended": user.role in _RECOMMENDED}
    if enabled:
        context["form"] = disable_form
    else:
        device = two_factor.pending_device(user)
        secret = two_factor.secret_of(device)
        context.update(
            form=code_form,
            secret=" ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            uri=two_factor.provisioning_uri(device),
            # segno's own SVG of a link we built: no user text reaches it unescaped.
            qr=mark_safe(two_factor.qr_svg(device)),  # noqa: S308
        )
    return render(request, "accounts/two_factor.html", context)


@login_only
def sessions_view(request: HttpRequest) -> HttpResponse:
    """One's own logged-in browsers, and "log out everywhere else"."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied("staff only")
    current = request.session.session_key
    if request.method == "POST":
        ended = actions.end_sessions(
            user, keep=current, acting_user=user, origin=Origin.of(request)
        )
        messages.success(
            request,
            ngettext(
                "Logged out of %(count)d other browser.",
                "Logged out of %(count)d other browsers.",
                ended,
            )
            % {"count": ended},
        )
        return redirect("accounts:sessions")
    live = Session.objects.filter(expire_date__gt=timezone.now()).values("session_key")
    sessions = StaffSession.objects.filter(user=user, session_key__in=live).order_by(
        "-last_seen_at"
    )
    return render(request, "accounts/sessions.html", {"sessions": sessions, "current": current})


@require_POST
@login_only
def logout_view(request: HttpRequest) -> HttpResponse:
    record(AuditAction.LOGOUT, actor=request.user, origin=Origin.of(request))
    logout(request)
    return redirect("accounts:login")


@require_POST
@login_only
def language_view(request: HttpRequest) -> HttpResponse:
    form = LanguageForm(request.POST)
    user = request.user
    if form.is_valid() and isinstance(user, User):
        actions.set_language(user, form.cleaned_data["language"], origin=Origin.of(request))
        return redirect(_safe_next(request, form.cleaned_data["next"]))
    return redirect("/")


@requires(Perm.STAFF_MANAGE)
def staff_security_view(request: HttpRequest, user_id: uuid.UUID) -> HttpResponse:
    """The admin's help for a member of staff: a locked login, a lost phone, a shared or
    stolen password (end all their sessions, then set a new password)."""
    admin = staff_user(request)
    member = get_object_or_404(User, pk=user_id, organisation_id=admin.organisation_uuid)
    origin = Origin.of(request)
    if request.method == "POST":
        what = request.POST.get("what")
        if what == "unlock":
            actions.unlock_login(member, acting_user=admin, origin=origin)
            messages.success(request, _("The login is unlocked."))
        elif what == "two_factor":
            actions.disable_two_factor(member, acting_user=admin, origin=origin)
            messages.success(request, _("Two-step login is off for this account."))
        elif what == "sessions":
            actions.end_sessions(member, keep=None, acting_user=admin, origin=origin)
            messages.success(request, _("Logged out everywhere."))
        return redirect("accounts:staff_security", user_id=member.pk)
    return render(
        request,
        "accounts/staff_security.html",
        {
            "member": member,
            "locked_seconds": throttle.seconds_locked(member.get_username(), None),
            "two_factor": two_factor.is_enabled(member),
            "sessions": StaffSession.objects.filter(
                user=member,
                session_key__in=Session.objects.filter(expire_date__gt=timezone.now()).values(
                    "session_key"
                ),
            ).count(),
        },
    )
