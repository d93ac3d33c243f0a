from __future__ import annotations

from django.contrib.auth import authenticate, login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nidaan.accounts import actions, throttle
from nidaan.accounts.decorators import login_only, public
from nidaan.accounts.forms import LanguageForm, LoginForm
from nidaan.accounts.models import User
from nidaan.audit.models import AuditAction
from nidaan.audit.record import Origin, record


def _safe_next(request: HttpRequest, target: str | None) -> str:
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


@public
def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    origin = Origin.of(request)
    status = 200
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        if throttle.is_locked(username, origin.address):
            form.add_error(None, _("Too many failed attempts. Wait 15 minutes and try again."))
            status = 429
        else:
            user = authenticate(request, username=username, password=form.cleaned_data["password"])
            if isinstance(user, User):
                login(request, user)
                actions.note_login(user, origin=origin)
                return redirect(_safe_next(request, request.GET.get("next")))
            actions.note_failed_login(username, origin=origin)
            form.add_error(None, _("Wrong username or password."))
            status = 401
    return render(request, "accounts/login.html", {"form": form}, status=status)


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
