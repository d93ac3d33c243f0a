"""The logged-in user's chosen language wins over the browser's."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation


class UserLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        language = getattr(user, "language", None) if user is not None else None
        if language and user is not None and user.is_authenticated:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        response = self.get_response(request)
        if language:
            response.headers.setdefault("Content-Language", language)
        return response


class StaffSessionMiddleware:
    """Keeps the list of each member of staff's logged-in browsers (accounts:sessions).

    `last_seen_at` is written at most once a minute per browser, not on every request.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        key = session.session_key if session is not None else None
        if user is not None and user.is_authenticated and key and hasattr(user, "role"):
            _seen(request, user, key)
        return response


_SEEN = "nidaan_seen_at"


def note_session(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """On login (`user_logged_in`): the new browser session joins the user's list."""
    session = getattr(request, "session", None)
    if session is not None and session.session_key and hasattr(user, "role"):
        _seen(request, user, session.session_key)


def _seen(request: HttpRequest, user: Any, key: str) -> None:
    from nidaan.accounts.models import StaffSession

    # The session itself remembers when its row was last written (the session is saved
    # on every request anyway), so most requests cost no query here.
    now = timezone.now()
    last = request.session.get(_SEEN)
    if last is not None and now.timestamp() - last < 60:
        return
    StaffSession.objects.update_or_create(
        session_key=key,
        defaults={"user": user, "last_seen_at": now},
        create_defaults={
            "user": user,
            "last_seen_at": now,
            "address": request.META.get("REMOTE_ADDR") or None,
            "user_agent": request.META.get("HTTP_USER_AGENT", "")[:200],
        },
    )
    request.session[_SEEN] = now.timestamp()
